"""The staff app's pages and changes on the real database; Rasa is out of
reach here (the end-to-end tests run it), so anything that must reach the
citizen is refused and nothing changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote_plus as unquote

import yaml
from sqlalchemy import Engine, create_engine, select

from bot.db.escalations import open_escalation
from bot.db.models import AuditEntry, Escalation, utcnow
from bot.db.review import add_tag
from bot.db.staff import create_user
from bot.staff.app import create_app
from bot.staff.security import hash_password
from tests.helpers import rasa_events_table as shared_events_table
from tests.web.conftest import PASSWORD, StaffApp, csrf_of, staff_settings


def audit_actions(app: StaffApp) -> list[tuple[str, str]]:
    with app.sessions() as session:
        return [(row.actor, row.action) for row in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_queue_shows_critical_first_with_waiting_time_and_filters(staff_app: StaffApp) -> None:
    staff_app.escalation("samtale-normal", priority="normal", reason="request_human", channel="rest")
    critical = staff_app.escalation("samtale-fare")
    with staff_app.sessions.begin() as session:
        session.get(Escalation, critical.id).created_at = utcnow() - timedelta(minutes=75)  # type: ignore[union-attr]
    client = staff_app.signed_in("anne")
    page = client.get("/").text
    assert page.index("samtale-fare") < page.index("samtale-normal")
    assert 'class="critical"' in page and "1 t 15 min" in page
    filtered = client.get("/", params={"channel": "rest"}).text
    assert "samtale-normal" in filtered and "samtale-fare" not in filtered
    assert "samtale-fare" not in client.get("/", params={"reason": "request_human"}).text


def test_conversation_view_is_audited_and_says_when_the_transcript_cannot_be_read(staff_app: StaffApp) -> None:
    staff_app.escalation("samtale-1")
    client = staff_app.signed_in("anne")
    page = client.get("/samtale/samtale-1")
    assert page.status_code == 200 and "Samtalen kan ikke hentes lige nu" in page.text
    assert "Tag sagen" in page.text and "express_distress: hjælp" in page.text
    assert ("anne", "view_transcript") in audit_actions(staff_app)


def test_claim_needs_rasa_so_nothing_changes_when_it_is_out_of_reach(staff_app: StaffApp) -> None:
    row = staff_app.escalation("samtale-1")
    client = staff_app.signed_in("anne")
    token = csrf_of(client.get("/samtale/samtale-1").text)
    response = client.post(f"/sag/{row.id}/tag", data={"csrf_token": token})
    assert response.status_code == 303 and "Assistenten kunne ikke nås" in unquote(response.headers["location"])
    with staff_app.sessions() as session:
        assert session.get(Escalation, row.id).status == "new"  # type: ignore[union-attr]
    assert ("anne", "claim") not in audit_actions(staff_app)


def test_notes_and_closing_an_untaken_case_need_no_chat(staff_app: StaffApp) -> None:
    row = staff_app.escalation("samtale-1")
    client = staff_app.signed_in("anne")
    token = csrf_of(client.get("/samtale/samtale-1").text)
    client.post(f"/sag/{row.id}/note", data={"csrf_token": token, "text": "Ringet 010203-1234, intet svar"})
    refused = client.post(f"/sag/{row.id}/luk", data={"csrf_token": token, "outcome": " "})
    assert "hvordan sagen endte" in unquote(refused.headers["location"])
    client.post(f"/sag/{row.id}/luk", data={"csrf_token": token, "outcome": "Dobbeltoprettet"})
    with staff_app.sessions() as session:
        closed = session.get(Escalation, row.id)
        assert closed is not None and (closed.status, closed.outcome, closed.claimed_by) == (
            "closed",
            "Dobbeltoprettet",
            "anne",
        )
        assert [note.text for note in closed.notes] == ["Ringet [CPR-nummer fjernet], intet svar"]
    assert [a for a in audit_actions(staff_app) if a[1] in ("note", "close")] == [("anne", "note"), ("anne", "close")]
    assert "samtale-1" not in client.get("/").text  # closed cases leave the queue
    assert "samtale-1" in client.get("/", params={"status": "closed"}).text


def test_admin_sees_the_audit_log_and_exports_tagged_messages(staff_app: StaffApp) -> None:
    with staff_app.sessions.begin() as session:
        add_tag(
            session,
            conversation_id="samtale-1",
            message_at=1.0,
            message_text="kan i ringe mig op",
            predicted_intent="nlu_fallback",
            confidence=0.3,
            tag="misforstaaet",
            correct_intent="request_human",
            tagged_by="anne",
        )
    client = staff_app.signed_in("boss")
    log = client.get("/admin/log").text
    assert "login" in log and "boss" in log
    assert "kan i ringe mig op" in client.get("/admin/eksport").text
    exported = client.get("/admin/eksport.yml")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert yaml.safe_load(exported.text)["nlu"] == [{"intent": "request_human", "examples": "- kan i ringe mig op\n"}]
    assert ("boss", "export_tags") in audit_actions(staff_app)


def test_the_conversation_view_shows_the_young_person_it_is_identified_as(staff_app: StaffApp) -> None:
    from datetime import date

    from bot.db.education import record_education
    from bot.db.youth import bind, create_profile

    with staff_app.sessions.begin() as session:
        mikkel = create_profile(
            session,
            reference="UNG-W1",
            first_name="Mikkel",
            mentor_name="Sanne",
            mentor_contact="sanne@example.dk",
            aftercare_ends_on=date(2028, 1, 1),
            plan_next_step="Bestå hf",
        )
        record_education(
            session, mikkel, kind="started", programme="hf", institution="VUC", occurred_on=date(2026, 8, 1)
        )
        bind(session, "samtale-ung", mikkel.id, "pairing")
        create_user(
            session,
            username="yrsa",
            display_name="Yrsa",
            role="staff",
            team="youth",
            password_hash=hash_password(PASSWORD),
        )
        open_escalation(
            session,
            conversation_id="samtale-ung",
            channel="socketio",
            reason="request_human",
            priority="normal",
            summary="vil tale med en",
            team="youth",
        )
    page = staff_app.signed_in("yrsa").get("/samtale/samtale-ung").text
    assert "Ung i efterværn" in page and "Mikkel</strong> (UNG-W1), identificeret med kode" in page
    assert "Mentor: Sanne" in page and "started hf (VUC)" in page and "Bestå hf" in page
    assert "Ung i efterværn" not in staff_app.signed_in("boss").get("/samtale/samtale-andet").text
    # The family team's staff do not see aftercare's conversations.
    assert staff_app.signed_in("anne").get("/samtale/samtale-ung").status_code == 404


def test_a_conversation_shows_each_team_only_what_it_works_with(staff_app: StaffApp) -> None:
    """A young person asked for a person before pairing (a family-team case), then
    paired and wrote about danger (an aftercare case): the family team's staff
    see their case and the transcript, not the aftercare profile or the other
    team's case and notes; aftercare sees the profile; an admin sees all."""
    from datetime import date

    from bot.db.escalations import add_note, close
    from bot.db.youth import bind, create_profile

    with staff_app.sessions.begin() as session:
        mikkel = create_profile(
            session,
            reference="UNG-T1",
            first_name="Mikkel",
            mentor_name="Sanne",
            mentor_contact="sanne@example.dk",
            aftercare_ends_on=date(2028, 1, 1),
        )
        bind(session, "ung-og-familie", mikkel.id, "pairing")
        create_user(
            session,
            username="yrsa",
            display_name="Yrsa",
            role="staff",
            team="youth",
            password_hash=hash_password(PASSWORD),
        )
        family_case = open_escalation(
            session,
            conversation_id="ung-og-familie",
            channel="socketio",
            reason="request_human",
            priority="normal",
            summary="vil tale med en voksen",
            team="family",
        )
        close(session, family_case, "anne", "ringet op")
        youth_case = open_escalation(
            session,
            conversation_id="ung-og-familie",
            channel="socketio",
            reason="distress",
            priority="critical",
            summary="Fare: suicide",
            team="youth",
        )
        add_note(session, youth_case, author="yrsa", text="Mentor ringet op om aftenen")
    family_page = staff_app.signed_in("anne").get("/samtale/ung-og-familie").text
    assert "vil tale med en voksen" in family_page
    for private in ("Ung i efterværn", "UNG-T1", "Mentor: Sanne", "Fare: suicide", "Mentor ringet op"):
        assert private not in family_page
    youth_page = staff_app.signed_in("yrsa").get("/samtale/ung-og-familie").text
    assert "UNG-T1" in youth_page and "Fare: suicide" in youth_page and "vil tale med en voksen" not in youth_page
    admin_page = staff_app.signed_in("boss").get("/samtale/ung-og-familie").text
    assert all(text in admin_page for text in ("UNG-T1", "Fare: suicide", "vil tale med en voksen"))


def rasa_events_table(engine: Engine, conversations: dict[str, int]) -> None:
    """The columns of Rasa's tracker store table that the staff app reads, with user messages."""
    events = shared_events_table()
    events.create(engine)
    with engine.begin() as connection:
        for sender, count in conversations.items():
            connection.execute(
                events.insert(),
                [
                    {"sender_id": sender, "type_name": "user", "timestamp": 1.8e9 + n, "data": "{}"}
                    for n in range(count)
                ],
            )


def test_the_conversation_list_and_its_search_show_only_the_teams_conversations(
    staff_app: StaffApp, database_url: str, tmp_path: Path
) -> None:
    # The tracker store in a database of its own, as Rasa's often is (the municipal
    # database's test transaction is not visible to another connection).
    tracker = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    rasa_events_table(tracker, {"ung-liste": 3, "mor-liste": 2, "uden-sag": 1})
    staff_app = StaffApp(
        create_app(staff_settings(database_url), sessions=staff_app.sessions, tracker_engine=tracker),
        staff_app.sessions,
    )
    with staff_app.sessions.begin() as session:
        create_user(
            session,
            username="yrsa",
            display_name="Yrsa",
            role="staff",
            team="youth",
            password_hash=hash_password(PASSWORD),
        )
        for conversation, team in (("ung-liste", "youth"), ("mor-liste", "family")):
            open_escalation(
                session,
                conversation_id=conversation,
                channel="socketio",
                reason="request_human",
                priority="normal",
                summary="vil tale med en",
                team=team,
            )
    anne, yrsa, boss = (staff_app.signed_in(name) for name in ("anne", "yrsa", "boss"))
    family_list, youth_list, all_list = (client.get("/samtaler").text for client in (anne, yrsa, boss))
    assert "mor-liste" in family_list and "ung-liste" not in family_list and "uden-sag" not in family_list
    assert "ung-liste" in youth_list and "mor-liste" not in youth_list
    assert all(name in all_list for name in ("ung-liste", "mor-liste", "uden-sag"))
    assert "ung-liste" not in anne.get("/samtaler", params={"q": "ung"}).text  # nor by searching for it
    assert "ung-liste" in boss.get("/samtaler", params={"q": "ung"}).text
    actions = audit_actions(staff_app)
    assert ("anne", "view_conversations") in actions and ("boss", "search_conversations") in actions
    with staff_app.sessions() as session:
        searches = session.scalars(select(AuditEntry).where(AuditEntry.action == "search_conversations"))
        assert all("ung" not in f"{entry.target} {entry.detail}" for entry in searches)  # the words are not logged


def test_staff_see_their_own_teams_cases_and_admins_all(staff_app: StaffApp) -> None:
    with staff_app.sessions.begin() as session:
        create_user(
            session,
            username="yrsa",
            display_name="Yrsa",
            role="staff",
            team="youth",
            password_hash=hash_password(PASSWORD),
        )
        youth_case = open_escalation(
            session,
            conversation_id="ung-1",
            channel="socketio",
            reason="distress",
            priority="critical",
            summary="Fare: suicide",
            team="youth",
        )
        family_case = open_escalation(
            session,
            conversation_id="mor-1",
            channel="socketio",
            reason="distress",
            priority="critical",
            summary="Fare: baby",
            team="family",
        )
        youth_id, family_id = youth_case.id, family_case.id
    anne, yrsa, boss = (staff_app.signed_in(name) for name in ("anne", "yrsa", "boss"))
    assert "mor-1" in anne.get("/").text and "ung-1" not in anne.get("/").text
    assert "ung-1" in yrsa.get("/").text and "mor-1" not in yrsa.get("/").text
    assert "ung-1" in boss.get("/").text and "mor-1" in boss.get("/").text
    assert "ung-1" not in anne.get("/samtaler").text
    # Another team's case cannot be taken, answered, noted or closed, even with its id.
    queue = anne.get("/").text
    for action in ("tag", "svar", "note", "luk"):
        response = anne.post(
            f"/sag/{youth_id}/{action}", data={"csrf_token": csrf_of(queue), "text": "x", "outcome": "x"}
        )
        assert response.status_code == 404
    with staff_app.sessions() as session:
        row = session.get(Escalation, youth_id)
        assert row is not None and row.status == "new" and row.notes == [] and row.claimed_by is None
    own = anne.post(f"/sag/{family_id}/note", data={"csrf_token": csrf_of(queue), "text": "ringet op"})
    assert own.status_code == 303


def test_every_admin_page_and_an_admins_look_at_another_teams_transcript_are_audited(staff_app: StaffApp) -> None:
    """Admins see everything, and so everything they look at is in the audit log
    with what it was; staff of another team get 404 for the transcript and leave
    no 'view_transcript' behind."""
    with staff_app.sessions.begin() as session:
        open_escalation(
            session,
            conversation_id="ung-2",
            channel="socketio",
            reason="distress",
            priority="critical",
            summary="Fare: suicide",
            team="youth",
        )
    boss, anne = staff_app.signed_in("boss"), staff_app.signed_in("anne")
    for path in ("/admin/log", "/admin/brugere", "/admin/eksport", "/admin/eksport.yml", "/samtale/ung-2"):
        assert boss.get(path).status_code == 200
    assert anne.get("/samtale/ung-2").status_code == 404
    with staff_app.sessions() as session:
        entries = [
            (row.actor, row.action, row.target)
            for row in session.scalars(select(AuditEntry).where(AuditEntry.action != "login").order_by(AuditEntry.id))
        ]
    assert [(actor, action) for actor, action, _ in entries] == [
        ("boss", "view_audit_log"),
        ("boss", "view_users"),
        ("boss", "view_export"),
        ("boss", "export_tags"),
        ("boss", "view_transcript"),
    ]
    assert entries[-1][2] == "conversation:ung-2"
