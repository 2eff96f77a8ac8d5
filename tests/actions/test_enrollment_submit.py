from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.enrollment import ActionStopForm, ActionSubmitEnrollment
from bot.db.enrollments import MAX_HELD_PER_CONTACT, MAX_NEW_ENROLLMENTS_PER_CONTACT, cancel_enrollment
from bot.db.models import CourseEnrollment, CourseTeam, EnrollmentStatus, Escalation
from bot.shared.clock import danish_today
from tests.helpers import make_tracker, responses


def filled_form(team: CourseTeam, due: date, **overrides: Any) -> dict[str, Any]:
    return {
        "parent_name": "Mette Hansen",
        "child_born": False,
        "child_date": due.isoformat(),
        "first_child": True,
        "partner_joins": True,
        "partner_name": "Jonas Hansen",
        "contact": "mette@example.dk",
        "contact_email": "mette@example.dk",
        "contact_phone": "+4522334455",
        "team_code": team.code,
        "consent": True,
        "enrollment_confirmed": True,
    } | overrides


def submit(slots: dict[str, Any], domain: dict[str, Any], sender: str = "conv-1") -> tuple[CollectingDispatcher, list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSubmitEnrollment().run(dispatcher, make_tracker(slots=slots, sender_id=sender), domain))
    return dispatcher, events


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CourseEnrollment)) or 0


def test_confirmed_enrollment_is_written(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    team = teams[0]
    dispatcher, events = submit(filled_form(team, due_in_three_months), domain)
    assert responses(dispatcher) == ["utter_enrollment_saved"]
    row = session.scalars(select(CourseEnrollment)).one()
    assert (row.parent_name, row.partner_name, row.due_date, row.birth_date) == (
        "Mette Hansen",
        "Jonas Hansen",
        due_in_three_months,
        None,
    )
    assert (row.email, row.phone, row.conversation_id, row.status) == (
        "mette@example.dk",
        "+4522334455",
        "conv-1",
        EnrollmentStatus.ACTIVE,
    )
    assert row.team_id == team.id and row.consent_text.startswith("For at tilmelde jer")
    assert dispatcher.messages[0]["reference_code"] == row.reference_code
    session.refresh(team)
    assert team.seats_taken == 1
    assert SlotSet("parent_name", None) in events


def test_born_child_is_stored_as_birth_date(session: Session, teams: list[CourseTeam], domain: dict[str, Any]) -> None:
    born = danish_today().replace(day=1)
    submit(filled_form(teams[0], born, child_born=True), domain)
    row = session.scalars(select(CourseEnrollment)).one()
    assert (row.birth_date, row.due_date) == (born, None)


def test_nothing_is_stored_without_consent_or_confirmation(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    for overrides, expected in [
        ({"consent": False, "enrollment_outcome": "no_consent"}, "utter_no_consent"),
        ({"enrollment_confirmed": False, "enrollment_outcome": "declined"}, "utter_enrollment_not_saved"),
        ({"first_child": False, "enrollment_outcome": "not_first_child"}, "utter_not_first_child"),
        ({"enrollment_outcome": "child_too_old"}, "utter_child_too_old"),
    ]:
        dispatcher, _ = submit(filled_form(teams[0], due_in_three_months, **overrides), domain)
        assert responses(dispatcher) == [expected]
    assert count(session) == 0


def test_team_filled_meanwhile_returns_to_the_team_question(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    team = teams[0]
    team.seats_taken = team.capacity
    session.commit()
    dispatcher, events = submit(filled_form(team, due_in_three_months), domain)
    assert responses(dispatcher) == ["utter_team_full"]
    assert SlotSet("team_code", None) in events and ActiveLoop("enrollment_form") in events
    assert FollowupAction("enrollment_form") in events
    assert count(session) == 0


def test_a_contact_enrolled_elsewhere_is_never_revealed(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    first, _ = submit(filled_form(teams[0], due_in_three_months), domain, sender="mother")
    stranger, _ = submit(filled_form(teams[1], due_in_three_months, contact_phone=None), domain, sender="stranger")
    # The stranger's enrollment is made like any other: nothing of the first one is said.
    assert responses(stranger) == ["utter_enrollment_saved"]
    assert stranger.messages[0]["reference_code"] != first.messages[0]["reference_code"]
    assert first.messages[0]["reference_code"] not in str(stranger.messages)
    assert count(session) == 2


def test_past_the_per_contact_limit_an_enrollment_is_held_and_answered_like_any_other(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    """A stranger who types someone's e-mail learns nothing from the answer
    (not even that it was used before); the extra one takes no seat and is a
    case for the course team to check."""
    team = teams[0]
    first_answers = []
    for n in range(MAX_NEW_ENROLLMENTS_PER_CONTACT + 1):
        dispatcher, _ = submit(filled_form(team, due_in_three_months), domain, sender=f"try-{n}")
        first_answers.append((responses(dispatcher), sorted(dispatcher.messages[0])))
    assert len(set(map(str, first_answers))) == 1  # the same response with the same fields every time
    rows = session.scalars(select(CourseEnrollment).order_by(CourseEnrollment.id)).all()
    assert [r.status for r in rows] == [EnrollmentStatus.ACTIVE] * MAX_NEW_ENROLLMENTS_PER_CONTACT + [
        EnrollmentStatus.HELD
    ]
    session.refresh(team)
    assert team.seats_taken == MAX_NEW_ENROLLMENTS_PER_CONTACT
    held_case = session.scalars(select(Escalation).where(Escalation.conversation_id == rows[-1].conversation_id)).one()
    assert (held_case.team, held_case.reason, held_case.priority) == ("course", "enrollment_check", "normal")
    assert rows[-1].reference_code in held_case.summary and "mette@example.dk" not in held_case.summary


def test_a_held_enrollment_cancelled_frees_no_seat(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    team = teams[0]
    for n in range(MAX_NEW_ENROLLMENTS_PER_CONTACT + 1):
        submit(filled_form(team, due_in_three_months), domain, sender=f"try-{n}")
    held = session.scalars(select(CourseEnrollment).where(CourseEnrollment.status == EnrollmentStatus.HELD)).one()
    cancel_enrollment(session, held)
    session.commit()
    session.refresh(team)
    assert held.status == EnrollmentStatus.CANCELLED and team.seats_taken == MAX_NEW_ENROLLMENTS_PER_CONTACT


def test_a_flood_with_one_contact_stops_at_the_hold_limit(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    for n in range(MAX_HELD_PER_CONTACT):
        submit(filled_form(teams[0], due_in_three_months), domain, sender=f"flood-{n}")
    dispatcher, _ = submit(filled_form(teams[0], due_in_three_months), domain, sender="one-more")
    assert responses(dispatcher) == ["utter_enrollment_contact_limit"]
    assert dispatcher.messages[0]["municipality_phone"]
    assert count(session) == MAX_HELD_PER_CONTACT
    session.refresh(teams[0])
    assert teams[0].seats_taken == MAX_NEW_ENROLLMENTS_PER_CONTACT


def test_database_down_tells_the_phone_number_and_writes_nothing(
    teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any], database_down: None
) -> None:
    dispatcher, events = submit(filled_form(teams[0], due_in_three_months), domain)
    assert responses(dispatcher) == ["utter_enrollment_database_error"]
    assert dispatcher.messages[0]["municipality_phone"]
    # The answers are kept (no slot but the yes is reset); the form asks for the yes again.
    assert events == [
        SlotSet("enrollment_confirmed", None),
        ActiveLoop("enrollment_form"),
        FollowupAction("enrollment_form"),
    ]


def test_stop_leaves_the_form_and_forgets_the_answers(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionStopForm().run(dispatcher, make_tracker(slots={"parent_name": "Mette"}), domain))
    assert responses(dispatcher) == ["utter_enrollment_stopped"]
    assert ActiveLoop(None) in events and SlotSet("parent_name", None) in events


def test_a_yes_sent_again_gets_the_same_answer_and_writes_nothing_more(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    """The Rasa server that ran the action died before it stored the turn; the
    widget sends the yes again with its id, and another server runs the action again."""
    form = filled_form(teams[0], due_in_three_months)

    def yes(message_id: str | None, sender: str = "conv-again") -> CollectingDispatcher:
        tracker = make_tracker(slots=form, sender_id=sender)
        tracker.latest_message["message_id"] = message_id
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionSubmitEnrollment().run(dispatcher, tracker, domain))
        return dispatcher

    first, again = yes("msg-0001-yes"), yes("msg-0001-yes")
    assert responses(first) == responses(again) == ["utter_enrollment_saved"]
    row = session.scalars(select(CourseEnrollment)).one()  # written once
    assert first.messages[0]["reference_code"] == again.messages[0]["reference_code"] == row.reference_code
    assert row.message_id == "msg-0001-yes"
    session.refresh(teams[0])
    assert teams[0].seats_taken == 1
    # Another message, or the same id in another conversation, is another enrollment.
    yes("msg-0002-yes")
    yes("msg-0001-yes", sender="conv-other")
    yes(None)
    assert count(session) == 4
