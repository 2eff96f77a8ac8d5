"""The SMS side of a conversation in the staff app and the young person's
mobile number form: who sees what, and the form's misuse."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote_plus as unquote

import pytest
from sqlalchemy import select

from bot.db import sms as sms_repo
from bot.db.escalations import close, open_escalation
from bot.db.models import AuditEntry, utcnow
from bot.db.staff import create_user
from bot.db.youth import bind, create_profile
from bot.db.youth_models import YouthProfile
from bot.sms.numbers import danish_mobile, masked
from bot.staff.security import hash_password
from tests.web.conftest import PASSWORD, StaffApp, csrf_of

CONVERSATION = "sms-0123456789abcdef"


@pytest.fixture
def texting(staff_app: StaffApp) -> StaffApp:
    """A young person with a registered number texting, a case in aftercare's queue
    and one in the family team's; STOP since yesterday, two texts sent."""
    now = utcnow()
    with staff_app.sessions.begin() as session:
        profile = create_profile(
            session,
            reference="UNG-S1",
            first_name="Sofie",
            mentor_name="Sanne",
            mentor_contact="sanne@example.dk",
            aftercare_ends_on=date(2028, 1, 1),
        )
        sms_repo.set_mobile(session, "UNG-S1", "4520001234")
        bind(session, CONVERSATION, profile.id, "sms")
        row = sms_repo.conversation(session, "4520001234", CONVERSATION)
        delivered = sms_repo.add_outbound(session, row, "Hej Sofie, dit møde er i morgen kl. 10.", "reminder", now)
        sms_repo.mark_outbound(session, delivered.id, "sent", now, gateway_id="gw-1")
        sms_repo.delivery_report(session, "gw-1", True, now)
        sms_repo.opt_out(session, row, now - timedelta(days=1))
        sms_repo.add_outbound(session, row, "Svar 1 for Ja, 2 for Nej", "reply", now)
        create_user(
            session,
            username="yrsa",
            display_name="Yrsa",
            role="staff",
            team="youth",
            password_hash=hash_password(PASSWORD),
        )
        for team in ("family", "youth"):  # one open case at a time: the family team's is closed
            case = open_escalation(
                session,
                conversation_id=CONVERSATION,
                channel="sms",
                reason="request_human",
                priority="normal",
                summary=f"vil tale med en ({team})",
                team=team,
            )
            if team == "family":
                close(session, case, "anne", "ringet op")
    return staff_app


def mobile_of(app: StaffApp) -> str | None:
    with app.sessions() as session:
        return session.scalar(select(YouthProfile.mobile).where(YouthProfile.reference == "UNG-S1"))


def audited(app: StaffApp) -> list[tuple[str, str, str]]:
    with app.sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("%mobile")).order_by(AuditEntry.id))
        return [(row.actor, row.action, row.target) for row in rows]


def test_danish_mobile_numbers_are_recognised() -> None:
    for written in ("20 00 12 34", "+45 20 00 12 34", "0045 20001234", "4520001234", "(+45) 31-12-34-56"):
        assert danish_mobile(written) is not None, written
    for written in ("33 12 34 56", "1234567", "+46 70 123 45 67", "20 00 12 3x", "", "112"):
        assert danish_mobile(written) is None, written
    assert masked("4520001234") == "+45 •• •• 12 34"


def test_aftercare_and_admins_see_the_sms_side_and_the_family_team_does_not(texting: StaffApp) -> None:
    for name in ("yrsa", "boss"):
        page = texting.signed_in(name).get(f"/samtale/{CONVERSATION}").text
        assert "Samtalen foregår på sms fra +45 •• •• 12 34" in page
        assert "Afmeldt sms (STOP)" in page and "påmindelse" in page and "leveret" in page
        assert "ikke sendt (STOP)" in page and "Hej Sofie, dit møde" in page
        assert "Registreret: +45 •• •• 12 34" in page and "identificeret med registreret mobilnummer" in page
        assert "20001234" not in page and "20 00 12 34" not in page  # never the whole number
    family = texting.signed_in("anne").get(f"/samtale/{CONVERSATION}").text
    assert "vil tale med en (family)" in family
    for private in ("Samtalen foregår på sms", "12 34", "Afmeldt sms", "Hej Sofie", "/mobil"):
        assert private not in family


def test_aftercare_staff_set_and_clear_the_number_and_it_is_audited(texting: StaffApp) -> None:
    yrsa = texting.signed_in("yrsa")
    token = csrf_of(yrsa.get(f"/samtale/{CONVERSATION}").text)
    response = yrsa.post(f"/samtale/{CONVERSATION}/mobil", data={"csrf_token": token, "mobile": "+45 31 12 34 56"})
    assert response.status_code == 303 and "fejl" not in response.headers["location"]
    assert mobile_of(texting) == "4531123456"
    assert "Registreret: +45 •• •• 34 56" in yrsa.get(f"/samtale/{CONVERSATION}").text
    yrsa.post(f"/samtale/{CONVERSATION}/mobil", data={"csrf_token": token, "action": "clear"})
    assert mobile_of(texting) is None
    assert "Intet registreret nummer" in yrsa.get(f"/samtale/{CONVERSATION}").text
    boss = texting.signed_in("boss")
    boss_token = csrf_of(boss.get(f"/samtale/{CONVERSATION}").text)
    boss.post(f"/samtale/{CONVERSATION}/mobil", data={"csrf_token": boss_token, "mobile": "20 00 12 34"})
    assert mobile_of(texting) == "4520001234"
    assert audited(texting) == [
        ("yrsa", "set_mobile", "youth:UNG-S1"),
        ("yrsa", "remove_mobile", "youth:UNG-S1"),
        ("boss", "set_mobile", "youth:UNG-S1"),
    ]
    with texting.sessions() as session:  # the number is in no audit entry
        assert all("1234" not in (row.detail or "") for row in session.scalars(select(AuditEntry)))


@pytest.mark.parametrize("number", ["33 12 34 56", "+46 70 123 45 67", "hej", "2000"])
def test_a_malformed_number_is_refused_with_a_danish_message(texting: StaffApp, number: str) -> None:
    yrsa = texting.signed_in("yrsa")
    token = csrf_of(yrsa.get(f"/samtale/{CONVERSATION}").text)
    response = yrsa.post(f"/samtale/{CONVERSATION}/mobil", data={"csrf_token": token, "mobile": number})
    assert response.status_code == 303
    assert "skal være et dansk mobilnummer med 8 cifre" in unquote(response.headers["location"])
    assert mobile_of(texting) == "4520001234" and audited(texting) == []


def test_a_number_registered_on_another_young_person_is_refused(texting: StaffApp) -> None:
    with texting.sessions.begin() as session:
        create_profile(
            session,
            reference="UNG-S2",
            first_name="Emil",
            mentor_name="Sanne",
            mentor_contact="sanne@example.dk",
            aftercare_ends_on=date(2028, 1, 1),
        )
        sms_repo.set_mobile(session, "UNG-S2", "4550505050")
    yrsa = texting.signed_in("yrsa")
    token = csrf_of(yrsa.get(f"/samtale/{CONVERSATION}").text)
    response = yrsa.post(f"/samtale/{CONVERSATION}/mobil", data={"csrf_token": token, "mobile": "50 50 50 50"})
    assert "allerede registreret på UNG-S2" in unquote(response.headers["location"])
    assert mobile_of(texting) == "4520001234" and audited(texting) == []


def test_the_form_does_nothing_without_login_for_another_team_or_without_the_csrf_token(texting: StaffApp) -> None:
    path = f"/samtale/{CONVERSATION}/mobil"
    anonymous = texting.client()
    login_token = csrf_of(anonymous.get("/login").text)  # a valid token, but nobody signed in
    for data in ({"mobile": "20 00 99 99"}, {"mobile": "20 00 99 99", "csrf_token": login_token}):
        response = anonymous.post(path, data=data)
        assert response.status_code in (401, 403) or response.headers["location"] == "/login"
    anne = texting.signed_in("anne")  # the family team sees the conversation, not the young person
    token = csrf_of(anne.get(f"/samtale/{CONVERSATION}").text)
    assert anne.post(path, data={"csrf_token": token, "mobile": "20 00 99 99"}).status_code == 404
    assert anne.post(path, data={"csrf_token": token, "action": "clear"}).status_code == 404
    yrsa = texting.signed_in("yrsa")
    assert yrsa.post(path, data={"mobile": "20 00 99 99"}).status_code == 403
    assert yrsa.post(path, data={"csrf_token": "forkert", "action": "clear"}).status_code == 403
    # A conversation of aftercare's with no young person behind it.
    with texting.sessions.begin() as session:
        open_escalation(
            session,
            conversation_id="ukendt-nummer",
            channel="sms",
            reason="request_human",
            priority="normal",
            summary="ukendt",
            team="youth",
        )
    token = csrf_of(yrsa.get(f"/samtale/{CONVERSATION}").text)
    assert (
        yrsa.post("/samtale/ukendt-nummer/mobil", data={"csrf_token": token, "mobile": "20 00 99 99"}).status_code
        == 404
    )
    assert mobile_of(texting) == "4520001234" and audited(texting) == []


def test_a_case_shows_the_text_sent_to_the_on_duty_phone(staff_app: StaffApp) -> None:
    case = staff_app.escalation("samtale-nat")
    with staff_app.sessions.begin() as session:
        text = sms_repo.add_on_duty_alert(session, case.id, "4520000101", "ny kritisk sag", utcnow())
        sms_repo.mark_outbound(session, text.id, "delivered", utcnow(), gateway_id="gw-1")
    page = staff_app.signed_in("anne").get("/samtale/samtale-nat").text
    assert 'data-on-duty="delivered"' in page
    assert "Sms til vagttelefonen (…0101)" in page and "leveret" in page
    assert "4520000101" not in page  # the number is shown by its last four digits only
    other = staff_app.escalation("samtale-dag")
    assert "data-on-duty" not in staff_app.signed_in("anne").get(f"/samtale/{other.conversation_id}").text
