"""A held meeting is saved as soon as its day is told, and the receipt asks
what was talked about (issue 17: a young person who leaves then loses
nothing). The answer, on real SQLite and PostgreSQL: a note is added to that
meeting; "nej" is no note, not "take it back"; "ja" asks for it; a time or a
day that corrects is a correction, a day inside a note is not; "4" is no note."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from rasa_sdk.events import FollowupAction
from sqlalchemy.orm import Session

from actions.meetings import ActionSaveMeetingLog
from actions.youth_forms import held_time
from actions.youth_undo import ActionAfterYouthSave
from bot.db.youth import bind
from bot.db.youth_models import YouthProfile
from bot.shared.clock import DANISH_TIME
from tests.actions.test_youth_undo import after, held_meetings, kept, local, said, saved
from tests.actions.youth_helpers import NOW, run, young

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")

YESTERDAY = {"meeting_date": "2026-11-24"}
YESTERDAY_AT_2 = {"meeting_date": "2026-11-24T14:00"}


def logged(session: Session, sender: str, slots: dict[str, str]) -> tuple[YouthProfile, dict[str, object]]:
    mikkel = young(session, f"UNG-{sender[-3:].upper()}", "Mikkel", "Sanne")
    bind(session, sender, mikkel.id, "pairing")
    session.commit()
    last = saved(ActionSaveMeetingLog(), sender, slots)
    assert last["asks_note"] is True and len(held_meetings(session, mikkel)) == 1
    return mikkel, last


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("vi snakkede om min lejlighed og budget", "inform"),
        ("om praktikpladsen og at jeg skal søge SU", "nlu_fallback"),
        ("vi talte om at jeg skal til samtale på fredag om min praktik", "inform"),  # a day inside the note
    ],
)
def test_what_was_talked_about_is_added_to_the_meeting_just_saved(session: Session, text: str, intent: str) -> None:
    mikkel, last = logged(session, "conv-n1", YESTERDAY_AT_2)
    replies, events = said(run(ActionAfterYouthSave(), after("conv-n1", text, intent, last)))
    assert replies == ["utter_meeting_note_added"] and kept(events)["asks_note"] is False
    [held] = held_meetings(session, mikkel)
    assert held.note == text and local(held.starts_at) == datetime(2026, 11, 24, 14, 0, tzinfo=DANISH_TIME)


def test_no_is_no_note_and_keeps_the_meeting(session: Session) -> None:
    mikkel, last = logged(session, "conv-n2", YESTERDAY_AT_2)
    for text, intent in (("nej", "deny"), ("nope", "deny"), ("nej tak", "deny")):
        replies, events = said(run(ActionAfterYouthSave(), after("conv-n2", text, intent, last)))
        assert replies == ["utter_meeting_no_note"] and kept(events)["asks_note"] is False, text
        [held] = held_meetings(session, mikkel)
        assert held.note is None
    # Taking it back is said so: "nej, det er forkert".
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-n2", "nej det er forkert", "deny", last)))
    assert replies == ["utter_youth_undone_meeting_log"] and held_meetings(session, mikkel) == []


def test_yes_asks_for_the_note_and_the_next_message_is_it(session: Session) -> None:
    mikkel, last = logged(session, "conv-n3", YESTERDAY_AT_2)
    replies, events = said(run(ActionAfterYouthSave(), after("conv-n3", "ja", "affirm", last)))
    assert replies == ["utter_meeting_note_go_ahead"]
    still = kept(events)
    assert still["asks_note"] is True and held_meetings(session, mikkel)[0].note is None
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-n3", "om min kørekortsplan", "inform", still, turns=3)))
    assert replies == ["utter_meeting_note_added"] and held_meetings(session, mikkel)[0].note == "om min kørekortsplan"


@pytest.mark.parametrize(("told", "hour", "minute"), [("kl 10", 10, 0), ("omkring halv 11 tror jeg, 10.30", 10, 30)])
def test_a_time_or_a_day_after_the_save_corrects_it_and_is_no_note(
    session: Session, told: str, hour: int, minute: int
) -> None:
    mikkel, last = logged(session, "conv-n4", YESTERDAY)
    replies, events = said(run(ActionAfterYouthSave(), after("conv-n4", told, "inform", last)))
    assert replies == ["utter_meeting_log_corrected"]
    [held] = held_meetings(session, mikkel)
    assert local(held.starts_at) == datetime(2026, 11, 24, hour, minute, tzinfo=DANISH_TIME) and held.note is None
    fixed = kept(events)
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-n4", "hov nej, det var i mandags", "deny", fixed, 3)))
    assert replies == ["utter_meeting_log_corrected"]
    [held] = held_meetings(session, mikkel)
    assert local(held.starts_at) == datetime(2026, 11, 23, hour, minute, tzinfo=DANISH_TIME) and held.note is None


def test_a_digit_or_an_emoji_is_no_note(session: Session) -> None:
    mikkel, last = logged(session, "conv-n5", YESTERDAY_AT_2)
    for text in ("4", "🙂"):
        run(ActionAfterYouthSave(), after("conv-n5", text, "nlu_fallback", last))
        assert held_meetings(session, mikkel)[0].note is None, text


def test_a_question_right_after_is_that_question_and_no_note(session: Session) -> None:
    mikkel, last = logged(session, "conv-n7", YESTERDAY_AT_2)
    for text, intent, goes_to in (
        ("hvad er efterværn egentlig?", "faq", "action_answer_service"),
        ("hvad bliver vejret i morgen?", "out_of_scope", "utter_out_of_scope"),
    ):
        replies, events = said(run(ActionAfterYouthSave(), after("conv-n7", text, intent, last)))
        assert replies == [] and FollowupAction(goes_to) in events, text
        assert held_meetings(session, mikkel)[0].note is None
    # Told as anything else, what was talked about is the note.
    note = "vi gennemgik min ansøgning til praktikpladsen"
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-n7", note, "out_of_scope", last)))
    assert replies == ["utter_meeting_note_added"] and held_meetings(session, mikkel)[0].note == note


def test_a_held_meeting_is_never_later_today_than_now() -> None:
    # NOW is 10.00: "kl 2" (read as 14.00) held today was at 02.00; yesterday's 14.00 stays 14.00
    today, yesterday = NOW.date(), NOW.date() - timedelta(days=1)
    assert held_time(today, time(14)) == time(2) and held_time(today, time(9, 30)) == time(9, 30)
    assert held_time(yesterday, time(14)) == time(14) and held_time(today, None) is None
