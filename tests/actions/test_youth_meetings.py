"""A young person's meetings through the actions, on real SQLite and
PostgreSQL: a held meeting logged at once (the day said back in the receipt,
which invites a note), how it went as people say it, booking at
once, moving and cancelling after a yes with the history kept, and a
question in the middle of a form not taken as its answer."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.meeting_changes import (
    ActionCancelMeeting,
    ActionMoveMeeting,
    ValidateCancelMeetingForm,
    ValidateRescheduleMeetingForm,
)
from actions.meeting_requests import HELD_INSTEAD, ActionRequestMeeting, ValidateBookMeetingForm
from actions.meetings import ActionSaveMeetingLog, ValidateLogMeetingForm, read_rating
from actions.youth_identity import ValidatePairingForm
from bot.db.meetings import confirm_meeting, past_meetings, request_meeting, upcoming_meetings
from bot.db.youth import bind
from bot.db.youth_models import MentorMeeting
from bot.shared.clock import DANISH_TIME
from tests.actions.youth_helpers import NOW, extract, run, tracker, validate, young
from tests.helpers import responses

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")


def test_a_meeting_is_saved_once_its_day_is_told_and_the_receipt_invites_a_note(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    form = ValidateLogMeetingForm()
    start = tracker("conv-m", "havde møde m. min mentor igår kl 14, det gik fint", "log_meeting")
    # how it went, when said, comes with the day, as said: no number is made of "fint"; it is never asked for
    assert extract(form, "meeting_date", start) == {"meeting_date": "2026-11-24T14:00", "meeting_rating": "|fint"}
    assert form.slots_needed(start) == ["meeting_date"]  # no note asked, no final yes: saved once it has the day
    assert validate(form, "meeting_date", "2026-11-30", start)[1] == ["utter_meeting_date_in_future"]
    slots = {"meeting_date": "2026-11-24T14:00", "meeting_rating": "|fint"}
    dispatcher, events = run(ActionSaveMeetingLog(), tracker("conv-m", start.latest_message["text"], slots=slots))
    # The receipt names the day and time understood and asks what was talked about (a young
    # person who leaves here loses nothing; a wrong day is corrected after: test_youth_undo.py).
    assert responses(dispatcher) == ["utter_meeting_logged_ask_note"]
    receipt = dispatcher.messages[0]
    said = (receipt["meeting_day"], receipt["rating"], receipt["note"])
    assert said == ("tirsdag 24. november kl. 14.00", ' ("fint")', "")
    [held] = past_meetings(session, mikkel.id)
    assert held.starts_at is not None and held.note is None
    assert (held.rating, held.how_it_went, held.with_whom, held.starts_at.astimezone(DANISH_TIME)) == (
        None,
        "fint",
        "Sanne",
        datetime(2026, 11, 24, 14, 0, tzinfo=DANISH_TIME),
    )
    # Remembered, so that "fortryd" right after takes back exactly this, and a note is added to it.
    [remembered] = [e["value"] for e in events if e.get("name") == "youth_last_save"]
    assert remembered == {"kind": "held", "id": held.id, "timed": True, "asks_note": True, "turn": 1}


def test_a_meeting_logged_in_one_message_keeps_its_time_and_what_was_talked_about(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-t", mikkel.id, "pairing")
    session.commit()
    form = ValidateLogMeetingForm()
    start = tracker("conv-t", "sås med mentoren i går kl 13, vi talte om praktik", "log_meeting")
    assert extract(form, "meeting_date", start) == {"meeting_date": "2026-11-24T13:00"}  # no rating given, none set
    assert extract(form, "meeting_note", start) == {"meeting_note": "vi talte om praktik"}
    # required, so that rasa-sdk extracts and keeps it (it extracts only the required slots)
    assert form.slots_needed(start) == ["meeting_date", "meeting_note"]
    dispatcher, _ = run(
        ActionSaveMeetingLog(),
        tracker(
            "conv-t",
            "sås med mentoren i går kl 13, vi talte om praktik",
            "log_meeting",
            slots={"meeting_date": "2026-11-24T13:00", "meeting_note": "vi talte om praktik"},
        ),
    )
    assert responses(dispatcher) == ["utter_meeting_logged"] and dispatcher.messages[0]["rating"] == ""
    [held] = past_meetings(session, mikkel.id)
    assert held.starts_at is not None and held.rating is None and held.note == "vi talte om praktik"
    assert held.starts_at.astimezone(DANISH_TIME) == datetime(2026, 11, 24, 13, 0, tzinfo=DANISH_TIME)


@pytest.mark.parametrize(
    ("text", "asked", "expected"),
    [
        ("4/5", False, (4, "4/5")),
        ("giver det 2", False, (2, "2/5")),
        ("3 ud af 5", False, (3, "3/5")),
        ("5", True, (5, "5/5")),
        ("5", False, None),
        ("det var super", False, (None, "super")),  # a word, kept as said: no number nobody gave
        ("kedeligt", True, (None, "kedeligt")),
        ("det gik ikke så godt", False, (None, "ikke så godt")),
        ("i går kl 14", False, None),
    ],
)
def test_how_it_went_as_people_say_it(text: str, asked: bool, expected: tuple[int | None, str] | None) -> None:
    assert read_rating(text, asked) == expected


def test_book_move_and_cancel_keep_the_history(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    window = {
        "first": "2026-11-30",
        "last": "2026-12-04",
        "part": "eftermiddag",
        "at": None,
        "text": "næste uge om eftermiddagen",
    }
    dispatcher, _ = run(
        ActionRequestMeeting(),
        tracker("conv-m", "næste uge om eftermiddagen", slots={"meeting_window": window}),
    )
    assert responses(dispatcher) == ["utter_meeting_requested"] and dispatcher.messages[0]["mentor_name"] == "Sanne"
    assert dispatcher.messages[0]["window"] == "mellem mandag 30. november og fredag 4. december om eftermiddagen"
    [requested] = upcoming_meetings(session, mikkel.id, NOW)
    assert requested.status == "requested"
    confirm_meeting(session, requested, datetime(2026, 12, 1, 14, 0, tzinfo=DANISH_TIME), "sanne")
    session.commit()
    new_time = {"first": "2026-12-03", "last": "2026-12-03", "part": None, "at": "10:00:00", "text": "torsdag kl 10"}
    # An agreed meeting is moved only after a yes.
    slots = {"meeting_choice": str(requested.id), "meeting_window": new_time, "change_reason": "tandlæge"}
    assert ValidateRescheduleMeetingForm().slots_needed(tracker("conv-m", slots=slots))[-1] == "youth_confirm"
    dispatcher, _ = run(ActionMoveMeeting(), tracker("conv-m", "torsdag kl 10", slots=slots))
    assert responses(dispatcher) == ["utter_youth_nothing_saved"]
    dispatcher, _ = run(
        ActionMoveMeeting(),
        tracker(
            "conv-m",
            "ja",
            "affirm",
            slots={
                "meeting_choice": str(requested.id),
                "meeting_window": new_time,
                "change_reason": "tandlæge",
                "youth_confirm": True,
            },
        ),
    )
    assert responses(dispatcher) == ["utter_meeting_moved"]
    [moved_to] = upcoming_meetings(session, mikkel.id, NOW)
    dispatcher, _ = run(
        ActionCancelMeeting(),
        tracker(
            "conv-m",
            "ja",
            "affirm",
            slots={"meeting_choice": str(moved_to.id), "change_reason": "syg", "youth_confirm": True},
        ),
    )
    assert responses(dispatcher) == ["utter_meeting_cancelled"]
    session.expire_all()
    statuses = [(m.status, m.reason) for m in session.scalars(select(MentorMeeting).order_by(MentorMeeting.id))]
    assert statuses == [("moved", "tandlæge"), ("cancelled", "syg")]


def extraction(form: Any, t: Tracker) -> dict[str, Any]:
    """What a form's validation reads from the message (nothing: the form
    rejects it, and the form's rule for that intent runs)."""
    events = asyncio.run(form.get_extraction_events(CollectingDispatcher(), t, {}))
    return {event["name"]: event["value"] for event in events}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("kan ik komme til det, er syg aflys det", "er syg aflys det"),
        ("kan vi rykke mødet pga arbejde", "pga arbejde"),
        ("kan vi rykke mødet", None),
    ],
)
def test_the_reason_is_never_asked_and_kept_when_given(session: Session, text: str, reason: str | None) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-q", mikkel.id, "pairing")
    session.commit()
    read = extraction(ValidateRescheduleMeetingForm(), tracker("conv-q", text, "reschedule_meeting"))
    assert read.get("change_reason") == reason
    assert "change_reason" not in ValidateRescheduleMeetingForm().slots_needed(tracker("conv-q", text))


def test_a_pairing_code_is_the_answer_whatever_it_was_read_as() -> None:
    asked = {"requested_slot": "pairing_code"}
    form = ValidatePairingForm()
    assert form.holds_an_answer(tracker("conv-c", "k7p-4qx", "faq", slots=asked), "faq")
    assert not form.holds_an_answer(tracker("conv-c", "hvad er en mentor?", "faq", slots=asked), "faq")
    assert not form.holds_an_answer(tracker("conv-c", "kan jeg tale med en voksen", "request_human"), "request_human")


@pytest.mark.parametrize(
    ("action", "form", "asked_before"),
    [
        (ActionRequestMeeting(), "book_meeting_form", False),
        (ActionMoveMeeting(), "reschedule_meeting_form", True),
        (ActionCancelMeeting(), "cancel_meeting_form", True),
        (ActionSaveMeetingLog(), "log_meeting_form", False),
    ],
)
def test_a_database_error_at_the_save_keeps_the_answers_and_asks_for_a_yes(
    action: Any, form: str, asked_before: bool, database_down: None
) -> None:
    slots = {"meeting_choice": "1", "change_reason": "syg", "meeting_date": "2026-11-24", "youth_confirm": True}
    dispatcher, events = run(action, tracker("conv-m", "ja", "affirm", slots=slots))
    assert responses(dispatcher) == ["utter_youth_database_error"]
    assert dispatcher.messages[0]["municipality_phone"]
    # Only the yes is forgotten: the form asks for it (again: a request or a record
    # saved at once asks it now, `youth_retry`), and one more yes tries again.
    retry = [] if asked_before else [SlotSet("youth_retry", True)]
    assert events == [SlotSet("youth_confirm", None), *retry, ActiveLoop(form), FollowupAction(form)]


def test_after_a_database_error_a_request_is_saved_with_the_yes_and_only_then(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-r", mikkel.id, "pairing")
    session.commit()
    window = {"first": "2026-12-03", "last": "2026-12-03", "part": None, "at": "10:00:00", "text": "torsdag kl 10"}
    retried = {"meeting_window": window, "youth_retry": True}
    assert ValidateBookMeetingForm().slots_needed(tracker("conv-r", slots=retried)) == [
        "meeting_window",
        "youth_confirm",
    ]
    dispatcher, _ = run(
        ActionRequestMeeting(), tracker("conv-r", "nej", "deny", slots=retried | {"youth_confirm": False})
    )
    assert responses(dispatcher) == ["utter_youth_nothing_saved"] and upcoming_meetings(session, mikkel.id, NOW) == []
    dispatcher, events = run(
        ActionRequestMeeting(), tracker("conv-r", "ja", "affirm", slots=retried | {"youth_confirm": True})
    )
    assert responses(dispatcher) == ["utter_meeting_requested"] and SlotSet("youth_retry", None) in events
    assert len(upcoming_meetings(session, mikkel.id, NOW)) == 1


def test_a_database_error_inside_the_form_is_told_and_the_same_question_asked_again(database_down: None) -> None:
    asked = tracker(
        "conv-m", "ja", "affirm", slots={"requested_slot": "youth_confirm"}, active_loop="book_meeting_form"
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateBookMeetingForm().run(dispatcher, asked, {"slots": {}, "forms": {}}))
    assert responses(dispatcher) == ["utter_youth_database_error"]
    assert events == [SlotSet("youth_confirm", None)]


@pytest.mark.parametrize(
    "text",
    ["det var i fredags", "vi havde møde i går", "mødtes med min mentor mandag i sidste uge"],
)
def test_a_held_meeting_told_when_asked_for_a_time_is_logged_instead(session: Session, text: str) -> None:
    sofie = young(session, "UNG-H", "Sofie", "Lene")
    bind(session, "conv-h", sofie.id, "pairing")
    session.commit()
    asked = tracker("conv-h", text, slots={"requested_slot": "meeting_window"}, active_loop="book_meeting_form")
    window = extract(ValidateBookMeetingForm(), "meeting_window", asked)["meeting_window"]
    slots, said = validate(ValidateBookMeetingForm(), "meeting_window", window, asked)
    assert slots == {"meeting_window": None, "youth_outcome": HELD_INSTEAD} and said == []
    dispatcher, events = run(ActionRequestMeeting(), tracker("conv-h", text, slots=slots))
    assert responses(dispatcher) == ["utter_meeting_held_instead"]
    assert events[-1] == FollowupAction("log_meeting_form") and SlotSet("youth_outcome", None) in events
    assert upcoming_meetings(session, sofie.id, NOW) == []  # nothing asked for
    # The log form, activated on the same message, reads the day from it.
    started = tracker("conv-h", text, active_loop="log_meeting_form")
    held = extract(ValidateLogMeetingForm(), "meeting_date", started)["meeting_date"]
    assert date.fromisoformat(held[:10]) < NOW.date()


def test_a_time_to_come_is_asked_for_whatever_else_the_message_tells() -> None:
    text = "vi snakkede om det i går, kan vi mødes på fredag?"
    asked = tracker("conv-p", text, slots={"requested_slot": "meeting_window"}, active_loop="book_meeting_form")
    window = extract(ValidateBookMeetingForm(), "meeting_window", asked)["meeting_window"]
    slots, said = validate(ValidateBookMeetingForm(), "meeting_window", window, asked)
    assert slots == {"meeting_window": window} and said == []


def test_an_unknown_code_in_a_request_is_told_once(session: Session, domain: dict[str, Any]) -> None:
    text = "hej ZZZ-999 her. aflys lige mødet d 19"
    asking = tracker("conv-unknown", text, "cancel_meeting", active_loop="cancel_meeting_form")
    dispatcher = CollectingDispatcher()
    asyncio.run(ValidateCancelMeetingForm().run(dispatcher, asking, domain))
    said = responses(dispatcher)
    assert said and len(said) == len(set(said)), said


def test_a_meeting_earlier_today_is_logged_on_today() -> None:
    start = tracker("conv-t", "kom lige fra et møde med min kontaktperson i formiddags", "log_meeting")
    assert extract(ValidateLogMeetingForm(), "meeting_date", start) == {"meeting_date": "2026-11-25"}


def test_cancelling_the_summary_answered_with_another_day_chooses_that_meeting(session: Session) -> None:
    nora = young(session, "UNG-C", "Nora", "Lene")
    bind(session, "conv-c", nora.id, "pairing")
    ids = []
    for day, hour in ((date(2026, 11, 27), 10), (date(2026, 12, 1), 14)):  # Friday, Tuesday
        at = datetime(day.year, day.month, day.day, hour, tzinfo=DANISH_TIME)
        meeting = request_meeting(
            session, nora, first=day, last=day, window_text="aftalt", starts_at=at, conversation_id="staff"
        )
        confirm_meeting(session, meeting, at, "lene")
        ids.append(str(meeting.id))
    session.commit()  # and no read after it: the action's SQLite write transaction must not wait for this one
    friday, tuesday = ids
    for text, shown, chosen in (
        ("det på tirsdag", friday, tuesday),
        ("nej den anden", friday, tuesday),
        ("det første", tuesday, friday),
    ):
        slots = {"requested_slot": "youth_confirm", "meeting_choice": shown}
        at_summary = tracker("conv-c", text, slots=slots, active_loop="cancel_meeting_form")
        assert extract(ValidateCancelMeetingForm(), "meeting_choice", at_summary) == {"meeting_choice": chosen}, text
        assert validate(ValidateCancelMeetingForm(), "youth_confirm", text, at_summary)[0] == {"youth_confirm": None}
    # A plain yes is the yes; moving, a day at the summary is the new time, not another meeting.
    yes = tracker("conv-c", "ja", "affirm", slots=slots, active_loop="cancel_meeting_form")
    assert extract(ValidateCancelMeetingForm(), "meeting_choice", yes) == {}
    moving = tracker("conv-c", "det på tirsdag", slots=slots, active_loop="reschedule_meeting_form")
    assert extract(ValidateRescheduleMeetingForm(), "meeting_choice", moving) == {}


def test_a_meeting_with_someone_named_is_logged_with_them(session: Session) -> None:
    """ "med Mette": the receipt and the row name who it was with, not the mentor
    (who still sees it); "med min mentor" names no one."""
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-w", mikkel.id, "pairing")
    session.commit()
    slots = {"meeting_date": "2026-11-20T10:00", "meeting_note": "-"}
    dispatcher, _ = run(ActionSaveMeetingLog(), tracker("conv-w", "det var i fredags kl 10 med Mette", slots=slots))
    assert (dispatcher.messages[0]["with_whom"], dispatcher.messages[0]["mentor_name"]) == ("Mette", "Sanne")
    dispatcher, _ = run(ActionSaveMeetingLog(), tracker("conv-w", "Var til møde hos min mentor i fredags", slots=slots))
    assert dispatcher.messages[0]["with_whom"] == "Sanne"
    assert sorted(m.with_whom for m in past_meetings(session, mikkel.id)) == ["Mette", "Sanne"]
