"""Asking for a new meeting, and moving or cancelling one: the meeting on the
day the message names, else the next one; a reason; confirmed; nothing is
deleted (the old row is marked moved or cancelled)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.meetings import describe_when
from actions.transaction import Reply, Transaction
from actions.youth_forms import (
    NOTHING_SAVED,
    YouthFormValidation,
    YouthSubmit,
    at_local,
    local_today,
)
from actions.youth_identity import identified_profile, now
from bot.dates import Window, find_date, find_window, format_danish_date
from bot.db import meetings as repo
from bot.db.youth_models import YouthProfile


def window_from_slot(value: Any) -> Window | None:
    if not isinstance(value, dict) or "first" not in value:
        return None
    at = time.fromisoformat(value["at"]) if value.get("at") else None
    return Window(date.fromisoformat(value["first"]), date.fromisoformat(value["last"]), value.get("part"), at)


def window_to_slot(window: Window, text: str) -> dict[str, Any]:
    return {
        "first": window.first.isoformat(),
        "last": window.last.isoformat(),
        "part": window.part_of_day,
        "at": window.at.isoformat() if window.at else None,
        "text": text[:200],
    }


def describe_window(window: Window) -> str:
    days = (
        format_danish_date(window.first)
        if window.first == window.last
        else f"mellem {format_danish_date(window.first)} og {format_danish_date(window.last)}"
    )
    if window.at:
        return f"{days} kl. {window.at:%H.%M}"
    return f"{days} om {window.part_of_day}en" if window.part_of_day else days


# Ask for a new meeting ------------------------------------------------------


class WindowExtraction(YouthFormValidation):
    """The time window ("næste uge om eftermiddagen", "torsdag kl 14") in the
    starting message, when asked, or as a correction at the summary."""

    window_from_start = True

    async def extract_meeting_window(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = self.text(tracker)
        window = find_window(text, local_today())
        may_read = (
            (self.window_from_start and self.starting(tracker))
            or self.asked(tracker, "meeting_window")
            or self.asked(tracker, "youth_confirm")
        )
        if window and may_read:
            return {"meeting_window": window_to_slot(window, text)}
        if self.asked(tracker, "meeting_window"):
            return {"meeting_window": {"unreadable": text[:200]}}
        return {}

    def validate_meeting_window(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        window = window_from_slot(value)
        if window is None:
            dispatcher.utter_message(response="utter_invalid_meeting_window")
            return {"meeting_window": None}
        if window.last < local_today():
            dispatcher.utter_message(response="utter_meeting_window_in_past")
            return {"meeting_window": None}
        return {"meeting_window": value}


class ValidateBookMeetingForm(WindowExtraction, FormValidationAction):
    form_slots = ("meeting_window", "youth_confirm")

    def name(self) -> str:
        return "validate_book_meeting_form"


def exact_start(window: Window) -> datetime | None:
    """A time only when the young person named one day and a clock time."""
    return at_local(window.first, window.at) if window.at and window.first == window.last else None


def window_fields(value: dict[str, Any]) -> tuple[Window, str]:
    window = window_from_slot(value)
    assert window is not None
    return window, str(value.get("text") or describe_window(window))


class ActionRequestMeeting(YouthSubmit, Action):
    form = "book_meeting_form"

    def name(self) -> str:
        return "action_request_meeting"

    def save(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        value = tracker.get_slot("meeting_window")
        if not isinstance(value, dict) or "first" not in value:
            return [NOTHING_SAVED]
        window, text = window_fields(value)
        repo.request_meeting(
            session,
            profile,
            first=window.first,
            last=window.last,
            window_text=text,
            starts_at=exact_start(window),
            conversation_id=tracker.sender_id,
        )
        return [("utter_meeting_requested", {"mentor_name": profile.mentor_name, "window": describe_window(window)})]


# Move or cancel a meeting ---------------------------------------------------


class MeetingChoice(WindowExtraction):
    """Which meeting: the one on the day the message names, or else the next one."""

    window_from_start = False  # "kan vi rykke mødet på torsdag": torsdag is the meeting, not the new time

    async def extract_meeting_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("meeting_choice") and not self.asked(tracker, "meeting_choice"):
            return {}
        if not (self.starting(tracker) or self.asked(tracker, "meeting_choice")):
            return {}
        on = find_date(self.text(tracker), local_today(), "future")
        # No reply on a database error: the form stops, and its submit action says it.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            slots = choose_meeting(tx.session, tracker, on)
        if tx.failed:
            return {"youth_outcome": "error"}
        return slots

    def validate_meeting_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if str(value).startswith("none:"):
            on = str(value)[5:]
            if on:
                dispatcher.utter_message(
                    response="utter_no_meeting_that_day", meeting_day=format_danish_date(date.fromisoformat(on))
                )
            else:
                dispatcher.utter_message(response="utter_no_meetings_to_change")
            return {"meeting_choice": None, "youth_outcome": "no_meeting"}
        return {"meeting_choice": value}

    async def extract_change_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.free_text(tracker, "change_reason", 300, nothing="ikke oplyst")


def choose_meeting(session: Session, tracker: Tracker, on: date | None) -> dict[str, Any]:
    profile, _ = identified_profile(session, tracker)
    if profile is None:
        return {}
    meeting = repo.pick_meeting(session, profile.id, now(), on)
    if meeting is None:
        return {"meeting_choice": "none:" + (on.isoformat() if on else "")}
    return {"meeting_choice": str(meeting.id)}


class ValidateRescheduleMeetingForm(MeetingChoice, FormValidationAction):
    form_slots = ("meeting_choice", "meeting_window", "change_reason", "youth_confirm")

    def name(self) -> str:
        return "validate_reschedule_meeting_form"


class ValidateCancelMeetingForm(MeetingChoice, FormValidationAction):
    form_slots = ("meeting_choice", "change_reason", "youth_confirm")

    def name(self) -> str:
        return "validate_cancel_meeting_form"


class ChangeMeeting(YouthSubmit):
    """Move or cancel the chosen meeting, after the young person said yes
    (a mixin: the two actions below are what the action server registers)."""

    cancel = False

    def save(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        choice, value = str(tracker.get_slot("meeting_choice") or ""), tracker.get_slot("meeting_window")
        reason = tracker.get_slot("change_reason") or "ikke oplyst"
        meeting = repo.own_meeting(session, profile.id, int(choice)) if choice.isdigit() else None
        if meeting is None:
            return [NOTHING_SAVED]  # never someone else's meeting
        old_when, mentor = describe_when(meeting), profile.mentor_name
        if self.cancel or not (isinstance(value, dict) and "first" in value):
            repo.cancel_meeting(session, meeting, reason)
            return [("utter_meeting_cancelled", {"old_when": old_when, "mentor_name": mentor})]
        window, text = window_fields(value)
        repo.move_meeting(
            session,
            meeting,
            first=window.first,
            last=window.last,
            window_text=text,
            starts_at=exact_start(window),
            reason=reason,
            conversation_id=tracker.sender_id,
        )
        return [
            ("utter_meeting_moved", {"old_when": old_when, "window": describe_window(window), "mentor_name": mentor})
        ]


class ActionMoveMeeting(ChangeMeeting, Action):
    form = "reschedule_meeting_form"

    def name(self) -> str:
        return "action_move_meeting"


class ActionCancelMeeting(ChangeMeeting, Action):
    form = "cancel_meeting_form"

    cancel = True

    def name(self) -> str:
        return "action_cancel_meeting"
