"""A young person's save is done once per message, on real SQLite and
PostgreSQL: the same message sent again (the widget's retry after the Rasa
server that handled it died having had the save committed, but before it
stored the turn; another server then runs the action again) gets the first
answer and writes nothing more. Another message, the same id in another
conversation, or a message with no id are saves of their own."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from rasa_sdk import Action
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actions.education import ActionSaveEducation
from actions.meeting_requests import ActionRequestMeeting
from actions.meetings import ActionSaveMeetingLog
from bot.db.education import latest_education
from bot.db.youth import bind, forget_conversation, purge_receipts
from bot.db.youth_models import MentorMeeting, SaveReceipt
from bot.shared.clock import utc_now
from tests.actions.youth_helpers import run, tracker, young

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")

THURSDAY_AT_10 = {"first": "2026-12-03", "last": "2026-12-03", "part": None, "at": "10:00:00", "text": "torsdag kl 10"}
HELD_YESTERDAY = {"meeting_date": "2026-11-24T14:00", "meeting_note": "vi talte om praktik"}
STOPPED_HF = {"education_kind": "stopped", "education_programme": "hf"}


def send(action: Action, sender: str, slots: dict[str, Any], message_id: str | None) -> tuple[list[Any], list[Any]]:
    """The action for a message with this id; what it said and the events it returned."""
    message = tracker(sender, "ja", "affirm", slots=slots)
    message.latest_message["message_id"] = message_id
    dispatcher, events = run(action, message)
    return dispatcher.messages, events


def meetings(session: Session) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(MentorMeeting)) or 0)


@pytest.mark.parametrize(
    "action, slots",
    [(ActionRequestMeeting(), {"meeting_window": THURSDAY_AT_10}), (ActionSaveMeetingLog(), HELD_YESTERDAY)],
)
def test_a_meeting_sent_again_is_answered_the_same_and_saved_once(
    session: Session, action: Action, slots: dict[str, Any]
) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    bind(session, "conv-m-phone", mikkel.id, "pairing")
    session.commit()
    first, first_events = send(action, "conv-m", slots, "msg-7")
    again, again_events = send(action, "conv-m", slots, "msg-7")
    assert first == again and first and meetings(session) == 1
    assert first_events == again_events  # the same remembered save: `fortryd` takes back the one row
    send(action, "conv-m", slots, "msg-8")
    send(action, "conv-m-phone", slots, "msg-7")
    send(action, "conv-m", slots, None)
    assert meetings(session) == 4


def test_an_education_change_sent_again_is_saved_once(session: Session) -> None:
    bo = young(session, "UNG-B", "Bo", "Sanne")
    bind(session, "conv-b", bo.id, "pairing")
    session.commit()
    first, _ = send(ActionSaveEducation(), "conv-b", STOPPED_HF, "msg-1")
    again, _ = send(ActionSaveEducation(), "conv-b", STOPPED_HF, "msg-1")
    assert first == again and len(latest_education(session, bo.id)) == 1


def test_a_message_that_saved_nothing_leaves_no_receipt_and_a_stranger_gets_none(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    said, _ = send(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10, "youth_outcome": "no"}, "m-1")
    assert said == [] and session.scalars(select(SaveReceipt)).all() == []
    send(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10}, "m-2")
    # Not identified, with the id of the message that saved: asked who they are, told nothing of it.
    said, _ = send(ActionRequestMeeting(), "conv-stranger", {"meeting_window": THURSDAY_AT_10}, "m-2")
    assert [m.get("response") for m in said] == ["utter_identify_first"] and meetings(session) == 1


def test_receipts_are_kept_a_day_and_forgotten_with_the_conversation(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    send(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10}, "m-1")
    send(ActionSaveMeetingLog(), "conv-m", HELD_YESTERDAY, "m-2")
    now: datetime = utc_now()
    assert purge_receipts(session, now) == 0
    assert purge_receipts(session, now + timedelta(days=1, minutes=1)) == 2
    session.rollback()
    forget_conversation(session, "conv-m")
    assert session.scalars(select(SaveReceipt)).all() == []
