"""Two signed-in staff members and one case: whoever takes it first has it;
the other is told so in Danish and changes nothing (not the case, not the
citizen's chat: Rasa is out of reach here, and the refusal comes before it
would be called)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import unquote_plus as unquote

from sqlalchemy import select

from bot.db import escalations as repo
from bot.db.audit import record
from bot.db.migrate import upgrade
from bot.db.models import AuditEntry, Escalation
from bot.db.session import make_sessionmaker
from bot.db.staff import create_user
from bot.staff.app import create_app
from bot.staff.security import hash_password
from tests.web.conftest import PASSWORD, StaffApp, csrf_of, staff_settings


def test_the_second_staff_member_taking_a_case_is_told_who_has_it(staff_app: StaffApp) -> None:
    with staff_app.sessions.begin() as session:
        create_user(session, username="carl", display_name="Carl", role="staff", password_hash=hash_password(PASSWORD))
    row = staff_app.escalation("samtale-1")
    anne, carl = staff_app.signed_in("anne"), staff_app.signed_in("carl")
    pages = {who: client.get("/samtale/samtale-1").text for who, client in (("anne", anne), ("carl", carl))}
    assert all("Tag sagen" in page for page in pages.values())  # both see an untaken case
    with staff_app.sessions.begin() as session:
        # Anne took it a moment ago (her click reached Rasa: the end-to-end tests run that part).
        assert repo.claim(session, row.id, "anne", team="family") is not None

    response = carl.post(f"/sag/{row.id}/tag", data={"csrf_token": csrf_of(pages["carl"])})
    location = unquote(response.headers["location"])
    assert response.status_code == 303 and location.startswith("/samtale/samtale-1?fejl=")
    assert "Sagen er lige blevet taget af anne, så du har ikke taget den" in location
    shown = carl.get(location).text
    assert 'role="alert"' in shown and "kun anne kan svare og lukke den" in shown
    assert "Tag sagen" in shown  # he may still not answer: the answer form is Anne's
    assert "Svar borgeren i chatten" not in shown
    with staff_app.sessions() as session:
        escalation = session.get(Escalation, row.id)
        assert escalation is not None and (escalation.status, escalation.claimed_by) == ("claimed", "anne")
        claims = session.scalars(select(AuditEntry).where(AuditEntry.action == "claim")).all()
        assert claims == []  # Carl's refused claim changed nothing, so nothing was logged as done


def test_taking_another_teams_case_is_no_case_at_all(staff_app: StaffApp) -> None:
    row = staff_app.escalation("samtale-ung")
    with staff_app.sessions.begin() as session:
        session.get(Escalation, row.id).team = "youth"  # type: ignore[union-attr]
    anne = staff_app.signed_in("anne")
    token = csrf_of(anne.get("/").text)
    response = anne.post(f"/sag/{row.id}/tag", data={"csrf_token": token})
    assert response.status_code == 404 and "samtale-ung" not in response.text
    with staff_app.sessions() as session:
        assert session.get(Escalation, row.id).claimed_by is None  # type: ignore[union-attr]


def test_a_page_that_reads_then_audits_waits_for_another_write_instead_of_failing(tmp_path: Path) -> None:
    """On SQLite, a transaction that read and then writes fails at once when
    another request committed in between: two staff opening the conversation
    they had just both tried to take got "Internal Server Error". The staff
    app's write transactions take the lock first and wait for it."""
    url = f"sqlite:///{tmp_path / 'municipal.db'}"
    upgrade(url)
    staff = StaffApp(create_app(staff_settings(url)), make_sessionmaker(url))
    with staff.sessions.begin() as session:
        create_user(session, username="anne", display_name="Anne", role="staff", password_hash=hash_password(PASSWORD))
    staff.escalation("samtale-travl")
    anne = staff.signed_in("anne")
    pages: list[int] = []
    with staff.sessions.begin() as other:
        record(other, "karin", "claim", "conversation:samtale-travl")  # another request's write, not yet committed
        opening = threading.Thread(target=lambda: pages.append(anne.get("/samtale/samtale-travl").status_code))
        opening.start()
        time.sleep(0.5)  # the page has begun (and, read first, would have taken its snapshot)
    opening.join(timeout=20)
    assert pages == [200]
    with staff.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["claim", "view_transcript"]
