"""A move that turns out to be a cancellation, on real SQLite and PostgreSQL:
read as a wish to move, a message that calls the meeting off and names no
move ("kan vi ikke bare skippe det") goes on as a cancellation of the same
meeting, asked with its yes first; a message that also moves it stays a move."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy.orm import Session

from actions.meeting_changes import CANCEL_INSTEAD, ActionMoveMeeting, ValidateRescheduleMeetingForm
from bot.db.meetings import confirm_meeting, request_meeting
from bot.db.youth import bind
from bot.db.youth_models import YouthProfile
from bot.shared.clock import DANISH_TIME
from tests.actions.youth_helpers import extract, run, tracker, validate, young
from tests.helpers import responses

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")


def agreed(session: Session, profile: YouthProfile, day: date, hour: int) -> str:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=DANISH_TIME)
    meeting = request_meeting(session, profile, first=day, last=day, window_text="aftalt", starts_at=at,
                              conversation_id="staff")  # fmt: skip
    confirm_meeting(session, meeting, at, "lene")
    return str(meeting.id)


@pytest.fixture
def meetings(session: Session) -> tuple[str, str]:
    """Nora's two agreed meetings: Friday 27 November at 10 and Tuesday 1 December at 14."""
    nora = young(session, "UNG-C", "Nora", "Lene")
    bind(session, "conv-c", nora.id, "pairing")
    ids = agreed(session, nora, date(2026, 11, 27), 10), agreed(session, nora, date(2026, 12, 1), 14)
    session.commit()
    return ids


def test_a_move_that_calls_the_meeting_off_at_the_start_is_a_cancellation_of_it(meetings: tuple[str, str]) -> None:
    _, tuesday = meetings
    text = "mødet på tirsdag, kan vi ikke bare skippe det, har eksamen"
    start = tracker("conv-c", text, "reschedule_meeting", active_loop="reschedule_meeting_form")
    form = ValidateRescheduleMeetingForm()
    choice = extract(form, "meeting_choice", start)
    assert choice == {"meeting_choice": f"{CANCEL_INSTEAD}:{tuesday}", "change_reason": "har eksamen"}
    assert extract(form, "meeting_window", start) == {}  # no new time
    slots, said = validate(form, "meeting_choice", choice["meeting_choice"], start)
    assert slots == {"meeting_choice": tuesday, "youth_outcome": CANCEL_INSTEAD} and said == []
    # The move's last step hands over to the cancel form with the meeting and the reason; nothing changed yet.
    ended = {"meeting_choice": tuesday, "change_reason": "har eksamen", "youth_outcome": CANCEL_INSTEAD}
    dispatcher, events = run(ActionMoveMeeting(), tracker("conv-c", text, slots=ended))
    assert responses(dispatcher) == []
    assert events[-1] == FollowupAction("cancel_meeting_form")
    cleared = {event["name"] for event in events if event.get("event") == "slot"}
    assert "youth_outcome" in cleared and not cleared & {"meeting_choice", "change_reason"}
    assert SlotSet("meeting_window", None) in events


@pytest.mark.parametrize("asked", ["meeting_window", "youth_confirm"])
def test_asked_for_the_new_time_or_the_yes_an_annul_is_a_cancellation(meetings: tuple[str, str], asked: str) -> None:
    friday, _ = meetings
    slots = {"requested_slot": asked, "meeting_choice": friday}
    answer = tracker(
        "conv-c", "nej annuller det bare, vi ses onsdag", slots=slots, active_loop="reschedule_meeting_form"
    )
    form = ValidateRescheduleMeetingForm()
    assert extract(form, "meeting_choice", answer) == {"meeting_choice": f"{CANCEL_INSTEAD}:{friday}"}
    assert extract(form, "meeting_window", answer) == {}  # "onsdag" is no new time for it


@pytest.mark.parametrize(
    "text",
    ["drop fredag og ryk det til mandag", "kan vi skippe fredag og tage det en anden dag", "torsdag kl 9"],
)
def test_a_message_that_moves_it_stays_a_move(meetings: tuple[str, str], text: str) -> None:
    friday, _ = meetings
    slots = {"requested_slot": "meeting_window", "meeting_choice": friday}
    answer = tracker("conv-c", text, slots=slots, active_loop="reschedule_meeting_form")
    assert not ValidateRescheduleMeetingForm().cancels_instead(answer)
