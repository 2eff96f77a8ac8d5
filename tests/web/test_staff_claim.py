"""Two signed-in staff members and one case: whoever takes it first has it;
the other is told so in Danish and changes nothing (not the case, not the
citizen's chat: Rasa is out of reach here, and the refusal comes before it
would be called)."""

from __future__ import annotations

from urllib.parse import unquote_plus as unquote

from sqlalchemy import select

from bot.db import escalations as repo
from bot.db.models import AuditEntry, Escalation
from bot.db.staff import create_user
from bot.staff.security import hash_password
from tests.web.conftest import PASSWORD, StaffApp, csrf_of


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
