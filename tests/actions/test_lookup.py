from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.lookup import (
    ENROLL_INSTEAD,
    MAX_LOOKUP_ATTEMPTS,
    ActionAskCancelConfirmed,
    ActionFinishLookup,
    ActionStartLookup,
    ValidateEnrollmentLookupForm,
    lookup_grant,
)
from bot.db.enrollments import NewEnrollment, create_enrollment
from bot.db.models import CourseEnrollment, CourseTeam, EnrollmentStatus
from tests.helpers import make_tracker, responses

form = ValidateEnrollmentLookupForm()


def enrol(session: Session, team: CourseTeam, due: date, conversation: str = "conv-1") -> CourseEnrollment:
    enrollment = create_enrollment(
        session,
        NewEnrollment(
            team_id=team.id,
            parent_name="Mette",
            partner_name=None,
            due_date=due,
            birth_date=None,
            email="mette@example.dk",
            phone="+4522334455",
            conversation_id=conversation,
            consent_text="ja",
        ),
    )
    session.commit()
    return enrollment


def found(conversation: str, enrollment: CourseEnrollment) -> dict[str, Any]:
    """The slots the look-up sets when this conversation found the enrollment."""
    return {"lookup_enrollment_id": float(enrollment.id), "lookup_grant": lookup_grant(conversation, enrollment.id)}


def run(action: Any, **tracker_args: Any) -> tuple[CollectingDispatcher, list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, make_tracker(**tracker_args), {}))
    return dispatcher, events


def test_start_knows_this_conversations_enrollment(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrollment = enrol(session, teams[0], due_in_three_months)
    _, events = run(ActionStartLookup(), sender_id="conv-1", intent="cancel_enrollment")
    assert events == [
        SlotSet("lookup_purpose", "cancel"),
        SlotSet("enrollment_known", True),
        SlotSet("lookup_enrollment_id", float(enrollment.id)),
        SlotSet("lookup_grant", lookup_grant("conv-1", enrollment.id)),
    ]
    _, events = run(ActionStartLookup(), sender_id="another", intent="check_enrollment")
    assert events == [SlotSet("lookup_purpose", "check"), SlotSet("enrollment_known", False)]


def test_later_conversation_needs_code_and_contact(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrollment = enrol(session, teams[0], due_in_three_months)
    dispatcher = CollectingDispatcher()
    code = enrollment.reference_code.lower().replace("-", " ")
    assert form.validate_lookup_reference(code, dispatcher, make_tracker(), {}) == {
        "lookup_reference": enrollment.reference_code
    }
    tracker = make_tracker(slots={"lookup_reference": enrollment.reference_code}, sender_id="later")
    assert form.validate_lookup_contact("22 33 44 55", dispatcher, tracker, {}) == {
        "lookup_contact": "ok",
        "lookup_enrollment_id": float(enrollment.id),
        "lookup_grant": lookup_grant("later", enrollment.id),
    }


def test_wrong_contact_finds_nothing_and_attempts_are_limited(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrollment = enrol(session, teams[0], due_in_three_months)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"lookup_reference": enrollment.reference_code, "lookup_attempts": 0})
    result = form.validate_lookup_contact("someone@else.dk", dispatcher, tracker, {})
    assert result == {"lookup_reference": None, "lookup_contact": None, "lookup_attempts": 1}
    assert responses(dispatcher) == ["utter_lookup_not_found"]
    exhausted = make_tracker(slots={"lookup_attempts": MAX_LOOKUP_ATTEMPTS, "lookup_purpose": "check"})
    assert asyncio.run(form.required_slots([], dispatcher, exhausted, {})) == []


def test_check_shows_the_enrollment(session: Session, teams: list[CourseTeam], due_in_three_months: date) -> None:
    enrollment = enrol(session, teams[0], due_in_three_months)
    dispatcher, _ = run(ActionFinishLookup(), sender_id="c", slots={"lookup_purpose": "check"} | found("c", enrollment))
    assert responses(dispatcher) == ["utter_enrollment_status"]
    assert dispatcher.messages[0]["reference_code"] == enrollment.reference_code


def test_check_of_a_held_enrollment_says_it_waits_for_staff(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrollment = create_enrollment(
        session,
        NewEnrollment(
            team_id=teams[0].id,
            parent_name="Mette",
            partner_name=None,
            due_date=due_in_three_months,
            birth_date=None,
            email="mette@example.dk",
            phone=None,
            conversation_id="c",
            consent_text="ja",
        ),
        held=True,
    )
    session.commit()
    dispatcher, _ = run(ActionFinishLookup(), sender_id="c", slots={"lookup_purpose": "check"} | found("c", enrollment))
    assert responses(dispatcher) == ["utter_enrollment_status_held"]
    assert dispatcher.messages[0]["reference_code"] == enrollment.reference_code
    assert dispatcher.messages[0]["municipality_phone"]


def test_cancel_asks_then_keeps_the_row_as_cancelled(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    team = teams[0]
    enrollment = enrol(session, team, due_in_three_months)
    slots = {"lookup_purpose": "cancel"} | found("c", enrollment)
    assert asyncio.run(form.required_slots([], CollectingDispatcher(), make_tracker(slots=slots), {})) == [
        "cancel_confirmed"
    ]
    asked, _ = run(ActionAskCancelConfirmed(), sender_id="c", slots=slots)
    assert responses(asked) == ["utter_ask_cancel_confirmed"]

    kept, _ = run(ActionFinishLookup(), sender_id="c", slots=slots | {"cancel_confirmed": False})
    assert responses(kept) == ["utter_cancel_aborted"]
    session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.ACTIVE

    cancelled, _ = run(ActionFinishLookup(), sender_id="c", slots=slots | {"cancel_confirmed": True})
    assert responses(cancelled) == ["utter_enrollment_cancelled"]
    session.refresh(enrollment)
    session.refresh(team)
    assert enrollment.status == EnrollmentStatus.CANCELLED
    assert team.seats_taken == 0


def test_no_enrollment_found_offers_the_phone() -> None:
    dispatcher, events = run(ActionFinishLookup(), slots={"lookup_purpose": "check"})
    assert responses(dispatcher) == ["utter_lookup_failed"]
    assert SlotSet("lookup_attempts", 0) in events


@pytest.mark.parametrize("grant", [None, "0" * 64, "other-conversation", "other-enrollment"])
def test_an_enrollment_id_without_this_conversations_grant_shows_and_cancels_nothing(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, grant: str | None
) -> None:
    """A tracker that names someone else's enrollment (the slot is set only by the
    actions, behind the action server's token: defence in depth) gets the look-up's
    plain failure, and the enrollment stays as it was."""
    enrollment = enrol(session, teams[0], due_in_three_months)
    signed = {
        "other-conversation": lookup_grant("someone-else", enrollment.id),
        "other-enrollment": lookup_grant("stranger", enrollment.id + 1),
    }.get(grant or "", grant)
    slots = {
        "lookup_purpose": "cancel",
        "cancel_confirmed": True,
        "lookup_enrollment_id": float(enrollment.id),
        "lookup_grant": signed,
    }
    asked, _ = run(ActionAskCancelConfirmed(), sender_id="stranger", slots=slots)
    finished, events = run(ActionFinishLookup(), sender_id="stranger", slots=slots)
    assert responses(asked) == responses(finished) == ["utter_lookup_failed"]
    assert enrollment.reference_code not in str(asked.messages + finished.messages)
    assert SlotSet("lookup_enrollment_id", None) in events
    session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_a_look_up_that_reads_as_an_enrollment_starts_the_enrollment_instead(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    wish = "hej vi har lige fået en søn d. 20/11 🥰 kan vi komme på familie med hjerte"
    dispatcher, events = run(ActionStartLookup(), sender_id="new", intent="check_enrollment", text=wish)
    assert responses(dispatcher) == ["utter_start_enrollment"]
    assert events == [
        SlotSet("lookup_purpose", "enroll"),
        SlotSet("enrollment_known", False),
        FollowupAction("enrollment_form"),
    ]
    enrol(session, teams[0], due_in_three_months, conversation="known")
    dispatcher, events = run(ActionStartLookup(), sender_id="known", intent="check_enrollment", text=wish)
    assert dispatcher.messages == [] and events[:2] == [
        SlotSet("lookup_purpose", "enroll"),  # "I er allerede tilmeldt" follows
        SlotSet("enrollment_known", True),
    ]


@pytest.mark.parametrize("intent", ["inform", "affirm", "check_enrollment"])
def test_the_code_question_answered_with_a_due_date_and_a_name_becomes_an_enrollment(intent: str) -> None:
    asked = {"requested_slot": "lookup_reference", "lookup_purpose": "check"}
    text = "terminen er d 9 marts, jeg hedder Mette Olsen"
    tracker = make_tracker(slots=asked, text=text, intent=intent)
    dispatcher = CollectingDispatcher()
    assert asyncio.run(form.extract_lookup_reference(dispatcher, tracker, {})) == {"lookup_reference": text}
    slots = form.validate_lookup_reference(text, dispatcher, tracker, {})
    assert slots == {"lookup_reference": None, "lookup_purpose": ENROLL_INSTEAD} and dispatcher.messages == []
    after = make_tracker(slots=asked | slots, text=text)
    assert asyncio.run(form.required_slots(["lookup_reference", "lookup_contact"], dispatcher, after, {})) == []
    dispatcher, events = run(ActionFinishLookup(), slots=asked | slots, text=text)
    assert responses(dispatcher) == ["utter_start_enrollment"] and events[-1] == FollowupAction("enrollment_form")


def test_cancelling_never_becomes_an_enrollment() -> None:
    asked = {"requested_slot": "lookup_reference", "lookup_purpose": "cancel"}
    tracker = make_tracker(slots=asked, text="terminen er d 9 marts, jeg hedder Mette Olsen")
    dispatcher = CollectingDispatcher()
    assert form.validate_lookup_reference(tracker.latest_message["text"], dispatcher, tracker, {}) == {
        "lookup_reference": None
    }
    assert responses(dispatcher) == ["utter_invalid_reference"]


@pytest.mark.parametrize("intent", ["enroll_course", "check_enrollment"])
def test_calling_off_the_course_read_as_another_wish_cancels_this_conversations_enrollment(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, intent: str
) -> None:
    enrollment = enrol(session, teams[0], due_in_three_months, conversation="conv-c")
    text = "ej vent min kæreste siger vi allerede er tilmeldt via jordemoderen 🙈 kan vi afmelde den her igen"
    dispatcher, events = run(ActionStartLookup(), sender_id="conv-c", intent=intent, text=text)
    assert dispatcher.messages == []
    assert events == [
        SlotSet("lookup_purpose", "cancel"),
        SlotSet("enrollment_known", True),
        *[SlotSet(name, value) for name, value in found("conv-c", enrollment).items()],
        FollowupAction("enrollment_lookup_form"),
    ]
    # No enrolment in this conversation: the code question of a cancellation.
    _, events = run(ActionStartLookup(), sender_id="elsewhere", intent=intent, text=text)
    assert events == [
        SlotSet("lookup_purpose", "cancel"),
        SlotSet("enrollment_known", False),
        FollowupAction("enrollment_lookup_form"),
    ]


def test_a_wish_to_enrol_that_mentions_a_meeting_is_no_cancellation() -> None:
    text = "vi vil gerne tilmelde os, men jeg har aflyst et møde for at skrive det her"
    _, events = run(ActionStartLookup(), sender_id="new", intent="enroll_course", text=text)
    assert events == [SlotSet("lookup_purpose", "enroll"), SlotSet("enrollment_known", False)]


@pytest.mark.parametrize(
    ("text", "confirmed"),
    [
        ("yes, cancel my place", True),
        ("ja tak, afmeld os bare", True),
        ("ok annuller den", True),
        ("stop", None),  # a plain stop leaves the look-up (the rule for stop), nothing cancelled
        ("nej stop, vi vil gerne blive på holdet", None),
    ],
)
def test_a_yes_with_a_cancel_verb_that_nlu_read_as_stop_confirms_the_cancellation(
    domain: dict[str, Any], text: str, confirmed: bool | None
) -> None:
    asked = {"requested_slot": "cancel_confirmed", "lookup_purpose": "cancel", "lookup_enrollment_id": 7.0}
    events: list[dict[str, Any]] = [{"event": "slot", "name": k, "value": v} for k, v in asked.items()]
    events += [
        {"event": "action", "name": "enrollment_lookup_form"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "stop"}}},
    ]
    tracker = make_tracker(slots=asked, text=text, intent="stop", events=events, active_loop="enrollment_lookup_form")
    found = asyncio.run(form.get_extraction_events(CollectingDispatcher(), tracker, domain))
    assert {e["name"]: e["value"] for e in found if e["event"] == "slot"}.get("cancel_confirmed") is confirmed
