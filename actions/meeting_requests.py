"""Asking for a new meeting: the time window ("næste uge om eftermiddagen",
"torsdag kl 14"), stored as requested for the mentor to confirm as soon as
it is given, and said back with how to take it back (issue 17). The window
helpers are shared with moving a meeting (actions/meeting_changes.py)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.meetings import LAST_WEEK, TOLD_AS_HELD
from actions.transaction import Reply
from actions.youth_forms import (
    NOTHING_SAVED,
    REQUEST,
    YouthFormValidation,
    YouthSubmit,
    at_local,
    local_today,
    reset_youth_slots,
)
from bot.dates import Window, find_time, find_window, format_danish_date, format_danish_day
from bot.dates.references import within_span
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


def say_window(window: Window) -> str:
    """The receipt's words: "torsdag 21. januar kl. 13.00", "mellem mandag 18. og fredag 22. januar"."""
    today = local_today()
    if window.first == window.last:
        days = format_danish_day(window.first, today, window.at)
        return f"{days} om {window.part_of_day}en" if window.part_of_day and not window.at else days
    days = f"mellem {format_danish_day(window.first, today)} og {format_danish_day(window.last, today)}"
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
        current = window_from_slot(tracker.get_slot("meeting_window"))
        if window and may_read:
            if current is not None and self.asked(tracker, "youth_confirm"):
                window = within_span(window, text, current)  # "næste uge", then "torsdag": that week's
            return {"meeting_window": window_to_slot(window, text)}
        moment = find_time(text)
        if (
            window is None
            and moment
            and current
            and current.first == current.last
            and self.asked(tracker, "youth_confirm")
        ):
            # "kl 12 passer" at the summary of one day: that day at that time
            return {"meeting_window": window_to_slot(Window(current.first, current.last, None, moment), text)}
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


SAME_TIME = re.compile(
    r"\bsamme\s+(?:tid|tidspunkt|klokkeslæt|time)\b|\b(?:at\s+)?(?:the\s+)?same\s+time\b", re.IGNORECASE
)
HELD_INSTEAD = "held_instead"


class ValidateBookMeetingForm(WindowExtraction, FormValidationAction):
    form_slots = ("meeting_window",)

    def name(self) -> str:
        return "validate_book_meeting_form"

    def validate_meeting_window(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        window = window_from_slot(value)
        text = self.text(tracker)
        # "mandag i sidste uge" reads as next Monday to the window reader, which looks ahead.
        past = window is not None and (window.last < local_today() or LAST_WEEK.search(text))
        if past and TOLD_AS_HELD.search(text):
            # Logged as a meeting that was held instead (ActionRequestMeeting starts that form).
            return {"meeting_window": None, "youth_outcome": HELD_INSTEAD}
        return super().validate_meeting_window(value, dispatcher, tracker, domain)


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

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("youth_outcome") == HELD_INSTEAD:
            # "det var i fredags" when asked when they can meet: the log form starts on that
            # message (activated, it reads the day from it) and asks what is missing.
            dispatcher.utter_message(response="utter_meeting_held_instead")
            return [*reset_youth_slots(), FollowupAction("log_meeting_form")]
        return await super().run(dispatcher, tracker, domain)

    def record(self, session: Session, profile: YouthProfile, tracker: Tracker) -> tuple[list[Reply], dict[str, Any]]:
        value = tracker.get_slot("meeting_window")
        if not isinstance(value, dict) or "first" not in value:
            return [NOTHING_SAVED], {}
        window, text = window_fields(value)
        meeting = repo.request_meeting(
            session,
            profile,
            first=window.first,
            last=window.last,
            window_text=text,
            starts_at=exact_start(window),
            conversation_id=tracker.sender_id,
        )
        receipt = {"mentor_name": profile.mentor_name, "window": say_window(window)}
        return [("utter_meeting_requested", receipt)], {"kind": REQUEST, "id": meeting.id}
