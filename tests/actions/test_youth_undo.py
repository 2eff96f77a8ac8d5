"""Right after a young person's request or record is saved (issue 17), on
real SQLite and PostgreSQL: "fortryd" (or a plain no) takes back exactly
that save and only once; a correction changes the saved day or time; a stray
"ja", "tak" or thumbs up is answered and saves nothing twice; and nobody but
the conversation's own young person, in that conversation, takes anything back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.education import ActionSaveEducation
from actions.meeting_requests import ActionRequestMeeting
from actions.meetings import ActionSaveMeetingLog
from actions.youth_undo import ActionAfterYouthSave
from bot.db.education import latest_education, record_education
from bot.db.meetings import confirm_meeting, meetings_of
from bot.db.youth import bind
from bot.db.youth_corrections import WITHDRAWN
from bot.db.youth_models import EducationEvent, MeetingStatus, MentorMeeting, YouthProfile
from bot.shared.clock import DANISH_TIME
from tests.actions.youth_helpers import run, tracker, young
from tests.helpers import responses

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")

HELD_YESTERDAY = {"meeting_date": "2026-11-24T14:00", "meeting_note": "vi talte om bolig"}
THURSDAY_AT_10 = {"first": "2026-12-03", "last": "2026-12-03", "part": None, "at": "10:00:00", "text": "torsdag kl 10"}


def saved(action: Action, sender: str, slots: dict[str, Any], text: str = "") -> dict[str, Any]:
    """Run a form's save action (the form's first message); what it remembered of the save."""
    dispatcher, events = run(action, tracker(sender, text, slots=slots))
    assert responses(dispatcher) and "utter_youth_nothing_saved" not in responses(dispatcher)
    [remembered] = [event["value"] for event in events if event.get("name") == "youth_last_save"]
    assert isinstance(remembered, dict)
    return remembered


def after(sender: str, text: str, intent: str, last: dict[str, Any] | None, turns: int = 2) -> Tracker:
    """The young person's next message, `turns` messages into the conversation."""
    answer = tracker(sender, text, intent, slots={"youth_last_save": last})
    answer.events[:0] = [{"event": "user", "text": "…"} for _ in range(turns - 1)]
    return answer


def said(action_run: tuple[Any, list[dict[str, Any]]]) -> tuple[list[str], list[dict[str, Any]]]:
    dispatcher, events = action_run
    return responses(dispatcher), events


def kept(events: list[dict[str, Any]]) -> dict[str, Any]:
    [value] = [event["value"] for event in events if event.get("name") == "youth_last_save"]
    assert isinstance(value, dict)
    return value


def held_meetings(session: Session, profile: YouthProfile) -> list[MentorMeeting]:
    session.expire_all()
    return [m for m in meetings_of(session, profile.id) if m.status == MeetingStatus.HELD]


def local(at: datetime | None) -> datetime | None:
    return at.astimezone(DANISH_TIME) if at else None


def test_fortryd_takes_back_the_meeting_just_logged_and_only_once(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    last = saved(ActionSaveMeetingLog(), "conv-m", HELD_YESTERDAY)
    assert len(held_meetings(session, mikkel)) == 1
    replies, events = said(run(ActionAfterYouthSave(), after("conv-m", "fortryd", "stop", last)))
    assert replies == ["utter_youth_undone_meeting_log"] and held_meetings(session, mikkel) == []
    undone = kept(events)
    assert undone["undone"] is True
    # Twice: nothing more is taken back, and the young person is told so.
    replies, events = said(run(ActionAfterYouthSave(), after("conv-m", "fortryd", "stop", undone, turns=3)))
    assert replies == ["utter_youth_already_undone"] and events == []


def test_undo_with_nothing_saved_is_told_so(session: Session) -> None:
    bind(session, "conv-n", young(session, "UNG-N", "Nora", "Lene").id, "pairing")
    session.commit()
    replies, events = said(run(ActionAfterYouthSave(), after("conv-n", "fortryd", "stop", None)))
    assert replies == ["utter_youth_nothing_to_undo"] and events == []


def test_no_one_else_takes_back_a_save_not_even_with_its_memory(session: Session) -> None:
    """Another conversation, of another young person or of the same one,
    holding a copy of what this conversation remembered, undoes nothing."""
    mikkel, aisha = young(session, "UNG-A", "Mikkel", "Sanne"), young(session, "UNG-B", "Aisha", "Jonas")
    bind(session, "conv-m", mikkel.id, "pairing")
    bind(session, "conv-a", aisha.id, "pairing")
    bind(session, "conv-m-phone", mikkel.id, "pairing")
    session.commit()
    logged = saved(ActionSaveMeetingLog(), "conv-m", HELD_YESTERDAY)
    requested = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10})
    for sender in ("conv-a", "conv-m-phone"):
        for last in (logged, requested):
            replies, events = said(run(ActionAfterYouthSave(), after(sender, "fortryd", "stop", last)))
            assert replies == ["utter_youth_nothing_to_undo"] and events == [], sender
    # Not identified at all: asked who they are, nothing taken back.
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-stranger", "fortryd", "stop", logged)))
    assert replies == ["utter_identify_first"]
    session.expire_all()
    assert sorted(m.status for m in meetings_of(session, mikkel.id)) == ["held", "requested"]


def test_a_plain_no_withdraws_the_request_and_a_confirmed_one_is_not_taken_back(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    last = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10})
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", "nej det er forkert", "deny", last)))
    assert replies == ["utter_youth_undone_request"]
    session.expire_all()
    [withdrawn] = meetings_of(session, mikkel.id)
    assert (withdrawn.status, withdrawn.reason) == (MeetingStatus.CANCELLED, WITHDRAWN)
    # Asked again, and staff confirm it before the young person says "fortryd": it stays.
    last = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10})
    session.expire_all()
    meeting = session.get(MentorMeeting, last["id"])
    assert meeting is not None
    confirm_meeting(session, meeting, datetime(2026, 12, 3, 10, tzinfo=DANISH_TIME), "sanne")
    session.commit()
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", "fortryd", "stop", last)))
    assert replies == ["utter_youth_undo_too_late"]
    session.expire_all()
    assert session.get(MentorMeeting, last["id"]).status == MeetingStatus.CONFIRMED  # type: ignore[union-attr]


def test_a_switch_taken_back_leaves_the_programme_as_it_was(session: Session) -> None:
    sara = young(session, "UNG-S", "Sara", "Ole")
    bind(session, "conv-s", sara.id, "pairing")
    record_education(
        session, sara, kind="started", programme="stx", institution="Gymnasiet", occurred_on=date(2025, 8, 1)
    )
    session.commit()
    text = "jeg er skiftet fra stx over til hhx"
    entities = [
        {"entity": "programme", "value": name, "start": text.index(name), "end": text.index(name) + 3}
        for name in ("stx", "hhx")
    ]
    started = tracker(
        "conv-s", text, "update_education", slots={"education_kind": "changed", "education_programme": "hhx"}
    )
    started.events[0]["parse_data"]["entities"] = entities
    started.events.insert(0, {"event": "active_loop", "name": "education_form"})
    _, events = run(ActionSaveEducation(), started)
    last = kept(events)
    session.expire_all()
    assert session.get(YouthProfile, sara.id).programme == "hhx"  # type: ignore[union-attr]
    # "begyndte i tirsdags": the day corrected, not a new change.
    replies, events = said(
        run(ActionAfterYouthSave(), after("conv-s", "begyndte i tirsdags", "update_education", last))
    )
    assert replies == ["utter_education_corrected"]
    # "startede paa hhx i mandags": the same programme named again with its day is that day, not a second change.
    replies, events = said(
        run(ActionAfterYouthSave(), after("conv-s", "startede paa hhx i mandags", "update_education", kept(events), 3))
    )
    assert replies == ["utter_education_corrected"]
    replies, events = said(
        run(ActionAfterYouthSave(), after("conv-s", "begyndte i tirsdags", "update_education", kept(events), 4))
    )
    session.expire_all()
    [switch, _] = latest_education(session, sara.id)
    assert (switch.programme, switch.occurred_on, switch.note) == ("hhx", date(2026, 11, 24), "skiftet fra stx")
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-s", "fortryd", "stop", kept(events), turns=5)))
    assert replies == ["utter_youth_undone_education"]
    session.expire_all()
    profile = session.get(YouthProfile, sara.id)
    assert profile is not None and (profile.programme, profile.institution) == ("stx", "Gymnasiet")
    assert [e.programme for e in session.scalars(select(EducationEvent))] == ["stx"]


def test_a_correction_after_the_save_changes_the_day_or_the_time(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    last = saved(ActionSaveMeetingLog(), "conv-m", HELD_YESTERDAY)
    replies, events = said(run(ActionAfterYouthSave(), after("conv-m", "det var kl 15", "inform", last)))
    assert replies == ["utter_meeting_log_corrected"]
    [held] = held_meetings(session, mikkel)
    assert local(held.starts_at) == datetime(2026, 11, 24, 15, tzinfo=DANISH_TIME)
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", "nej, det var i mandags", "deny", kept(events), 3)))
    assert replies == ["utter_meeting_log_corrected"]
    [held] = held_meetings(session, mikkel)
    assert local(held.starts_at) == datetime(2026, 11, 23, 15, tzinfo=DANISH_TIME)  # the day, the time kept

    request = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10})
    replies, events = said(run(ActionAfterYouthSave(), after("conv-m", "kan det være kl 15", "inform", request)))
    assert replies == ["utter_meeting_request_corrected"]
    session.expire_all()
    moved = session.get(MentorMeeting, request["id"])
    assert moved is not None and local(moved.starts_at) == datetime(2026, 12, 3, 15, tzinfo=DANISH_TIME)
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", "nej fredag", "deny", kept(events), 3)))
    session.expire_all()
    moved = session.get(MentorMeeting, request["id"])
    assert moved is not None and local(moved.starts_at) == datetime(2026, 11, 27, 15, tzinfo=DANISH_TIME)
    assert (moved.status, moved.window_first) == (MeetingStatus.REQUESTED, date(2026, 11, 27))
    assert len(meetings_of(session, mikkel.id)) == 2  # corrected in place: one held, one asked for


def test_a_weekday_after_asking_for_a_week_is_that_weeks_day(session: Session) -> None:
    """Asked for "next week" (Monday 30 November to Friday 4 December), then
    "torsdag ved 13-tiden": next week's Thursday, not tomorrow."""
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    week = {"first": "2026-11-30", "last": "2026-12-04", "part": None, "at": None, "text": "en dag i næste uge"}
    last = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": week})
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", "torsdag ved 13-tiden", "inform", last)))
    assert replies == ["utter_meeting_request_corrected"]
    session.expire_all()
    [requested] = meetings_of(session, mikkel.id)
    assert local(requested.starts_at) == datetime(2026, 12, 3, 13, tzinfo=DANISH_TIME)
    assert (requested.window_first, requested.window_last) == (date(2026, 12, 3), date(2026, 12, 3))


@pytest.mark.parametrize(("text", "intent"), [("ja", "affirm"), ("tak", "thank"), ("👍", "inform"), ("ok", "affirm")])
def test_a_stray_yes_or_thanks_is_answered_and_saves_nothing_twice(session: Session, text: str, intent: str) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    last = saved(ActionSaveMeetingLog(), "conv-m", HELD_YESTERDAY)
    replies, events = said(run(ActionAfterYouthSave(), after("conv-m", text, intent, last)))
    assert replies == ["utter_youth_saved_ack"] and events == [SlotSet("youth_last_save", last | {"turn": 2})]
    assert len(held_meetings(session, mikkel)) == 1
    # Later in the conversation a "ja" is no longer about the save: it goes where it would have gone.
    _, events = said(run(ActionAfterYouthSave(), after("conv-m", text, "affirm", last, turns=4)))
    assert events == [FollowupAction("action_handle_fallback")]


def test_no_thanks_to_the_talk_offered_after_a_stop_is_no_undo(session: Session) -> None:
    bo = young(session, "UNG-B", "Bo", "Sanne")
    bind(session, "conv-b", bo.id, "pairing")
    session.commit()
    last = saved(ActionSaveEducation(), "conv-b", {"education_kind": "stopped", "education_programme": "hf"})
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-b", "nej tak", "deny", last)))
    assert replies == ["utter_youth_no_talk"] and len(latest_education(session, bo.id)) == 1


def test_another_request_right_after_a_save_is_a_new_one() -> None:
    last = {"kind": "held", "id": 1, "timed": True, "turn": 1}
    _, events = said(run(ActionAfterYouthSave(), after("conv-x", "havde også et møde i fredags", "log_meeting", last)))
    assert events == [FollowupAction("log_meeting_form")]
    _, events = said(run(ActionAfterYouthSave(), after("conv-x", "hvad er efterværn", "nlu_fallback", last)))
    assert events == [FollowupAction("action_handle_fallback")]


def test_moving_or_cancelling_right_after_asking_is_about_the_meeting_just_asked_for(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    last = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10})
    moved = after("conv-m", "kan vi rykke det til kl 14 i stedet", "reschedule_meeting", last)
    replies, events = said(run(ActionAfterYouthSave(), moved))
    assert replies == ["utter_meeting_request_corrected"]
    session.expire_all()
    [requested] = meetings_of(session, mikkel.id)
    assert (requested.status, local(requested.starts_at)) == (
        MeetingStatus.REQUESTED,
        datetime(2026, 12, 3, 14, tzinfo=DANISH_TIME),
    )
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", "aflys det igen", "cancel_meeting", kept(events), 3)))
    assert replies == ["utter_youth_undone_request"]
    session.expire_all()
    assert [m.status for m in meetings_of(session, mikkel.id)] == [MeetingStatus.CANCELLED]
    # A meeting named by its day is another one: the cancel form chooses it (and asks first).
    last = saved(ActionRequestMeeting(), "conv-m", {"meeting_window": THURSDAY_AT_10})
    _, events = said(run(ActionAfterYouthSave(), after("conv-m", "aflys mødet på fredag", "cancel_meeting", last)))
    assert events == [FollowupAction("cancel_meeting_form")]


@pytest.mark.parametrize(
    ("text", "intent", "undone"),
    [
        ("nej", "deny", True),  # the no many give to the question they expected
        ("nej det passer ikke", "deny", True),
        ("det var ikke rigtigt", "deny", True),
        ("nej tak", "deny", False),  # nothing is wrong
        ("nej det var det", "deny", False),
    ],
)
def test_a_no_right_after_the_save_takes_it_back_unless_it_says_no_more(
    session: Session, text: str, intent: str, undone: bool
) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    last = saved(ActionSaveMeetingLog(), "conv-m", HELD_YESTERDAY)
    replies, _ = said(run(ActionAfterYouthSave(), after("conv-m", text, intent, last)))
    assert replies == (["utter_youth_undone_meeting_log"] if undone else ["utter_youth_saved_ack"])
    assert len(held_meetings(session, mikkel)) == (0 if undone else 1)


def test_stop_outside_a_form_is_nothing_to_stop_and_fortryd_nothing_to_undo() -> None:
    """The rule for a stop outside a form goes here (data/rules/core.yml), also for parents."""
    replies, events = said(run(ActionAfterYouthSave(), after("conv-p", "stop", "stop", None)))
    assert replies == ["utter_nothing_to_stop"] and events == []
    replies, events = said(run(ActionAfterYouthSave(), after("conv-p", "undo", "stop", None)))
    assert replies == ["utter_youth_nothing_to_undo"] and events == []
