"""A young person's short answers in context (blind conversation set 2):
"onsdag d. 20 samme tid" moves a meeting to that day at its own time. (The
answers to the note a saved meeting invites: test_youth_meeting_note.py.)"""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.meeting_changes import ValidateCancelMeetingForm, ValidateRescheduleMeetingForm
from actions.meeting_requests import window_from_slot
from bot.db.meetings import confirm_meeting, request_meeting
from bot.db.youth import bind
from bot.shared.clock import DANISH_TIME
from tests.actions.youth_helpers import extract, tracker, young
from tests.helpers import responses

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")


@pytest.mark.parametrize(
    ("at", "text", "weekday"),
    [
        (datetime(2026, 12, 1, 14, 0, tzinfo=DANISH_TIME), "kan mødet d. 1 flyttes til onsdag d. 2 samme tid", 2),
        (
            datetime(2026, 12, 4, 10, 0, tzinfo=DANISH_TIME),
            "hey can we move friday's meeting to thursday same time?",
            3,
        ),
    ],
)
def test_moved_to_another_day_at_the_same_time(session: Session, at: datetime, text: str, weekday: int) -> None:
    ida = young(session, "UNG-S", "Ida", "Lene")
    bind(session, "conv-s", ida.id, "pairing")
    meeting = request_meeting(
        session, ida, first=at.date(), last=at.date(), window_text="aftalt", starts_at=at, conversation_id="staff"
    )
    confirm_meeting(session, meeting, at, "lene")
    choice = str(meeting.id)
    session.commit()  # and no read after it: the action's SQLite write transaction must not wait
    started = tracker("conv-s", text, "reschedule_meeting", slots={"meeting_choice": choice})
    window = window_from_slot(extract(ValidateRescheduleMeetingForm(), "meeting_window", started)["meeting_window"])
    assert window is not None and (window.first.weekday(), window.at) == (weekday, at.time())


@pytest.mark.parametrize(
    ("form", "text", "answer"),
    [
        ("cancel_meeting_form", "aflys det", True),  # the question's own verb is its yes
        ("cancel_meeting_form", "ja aflys den bare", True),
        ("reschedule_meeting_form", "ryk det", True),
        ("reschedule_meeting_form", "aflys det", None),  # another verb: asked again
        ("cancel_meeting_form", "aflys ikke", None),
    ],
)
def test_the_questions_own_verb_is_its_yes(form: str, text: str, answer: bool | None) -> None:
    asked = tracker("conv-v", text, "cancel_meeting", slots={"requested_slot": "youth_confirm"}, active_loop=form)
    validator = ValidateCancelMeetingForm() if form == "cancel_meeting_form" else ValidateRescheduleMeetingForm()
    dispatcher = CollectingDispatcher()
    found = validator.validate_youth_confirm(text, dispatcher, asked, {})
    assert found == {"youth_confirm": answer}
    assert responses(dispatcher) == ([] if answer else ["utter_ask_yes_or_no"])
