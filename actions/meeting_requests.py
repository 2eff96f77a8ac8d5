"""Asking for a new meeting, and moving or cancelling one: the meeting on the
day the message names, else the next one; a reason; confirmed; nothing is
deleted (the old row is marked moved or cancelled)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import read_yes_no
from actions.meetings import LAST_WEEK, TOLD_AS_HELD, describe_when
from actions.transaction import Reply, Transaction
from actions.youth_forms import (
    NOTHING_SAVED,
    YouthFormValidation,
    YouthSubmit,
    at_local,
    local_today,
    reset_youth_slots,
)
from actions.youth_identity import identified_profile, now
from bot.dates import Window, find_time, find_window, format_danish_date, references
from bot.dates.references import MeetingReference, new_time_on, position_in_list, read_meeting_reference
from bot.db import meetings as repo
from bot.db.youth_models import YouthProfile
from bot.shared.clock import DANISH_TIME


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
        current = window_from_slot(tracker.get_slot("meeting_window"))
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


_SAME_TIME = re.compile(r"\bsamme\s+(?:tid|tidspunkt|klokkeslæt|time)\b", re.IGNORECASE)
HELD_INSTEAD = "held_instead"


class ValidateBookMeetingForm(WindowExtraction, FormValidationAction):
    form_slots = ("meeting_window", "youth_confirm")

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
    """Which meeting: the one on the day the message names ("mødet på fredag"),
    its place in the list just shown ("det første", "den anden"), or else the
    one shown or the next ("det", "mødet"). Moving, the same message may give
    the new time too ("kan vi rykke det til torsdag kl 14": torsdag is the new
    time, not the meeting; bot/dates/references.py). The reason is taken when
    given ("er syg", "pga arbejde"), never asked for."""

    window_from_start = False
    moving = False

    def slots_needed(self, tracker: Tracker) -> list[str]:
        # Listed only once given, so that it is kept (rasa-sdk validates, and keeps, only required slots).
        return [slot for slot in self.form_slots if slot != "change_reason" or tracker.get_slot("change_reason")]

    async def extract_meeting_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = _REASON.search(self.text(tracker)) if self.starting(tracker) else None
        given = {"change_reason": reason.group(0).strip()[:300]} if reason else {}
        if self.names_another_meeting(tracker):
            # "det på tirsdag" to "Skal jeg aflyse mødet 15. januar?": that one, asked again
            with Transaction(dispatcher, self.name(), error_reply=None) as tx:
                slots = choose_meeting(tx.session, tracker, self.reference(tracker))
            chosen = slots.get("meeting_choice")
            return {"meeting_choice": chosen} if not tx.failed and chosen and not chosen.startswith("none:") else {}
        if tracker.get_slot("meeting_choice") and not self.asked(tracker, "meeting_choice"):
            return given  # chosen already (the meeting a reminder was about)
        if not (self.starting(tracker) or self.asked(tracker, "meeting_choice")):
            return given
        reference = read_meeting_reference(self.text(tracker), local_today(), moving=self.moving)
        # No reply on a database error: the form stops, and its submit action says it.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            slots = choose_meeting(tx.session, tracker, reference)
        if tx.failed:
            return {"youth_outcome": "error"}
        return given | slots

    def reference(self, tracker: Tracker) -> MeetingReference:
        return read_meeting_reference(self.text(tracker), local_today(), moving=self.moving)

    def names_another_meeting(self, tracker: Tracker) -> bool:
        """Cancelling, the summary answered with a day or a place in the list
        and no yes. Moving, a day at the summary is the new time."""
        if self.moving or not self.asked(tracker, "youth_confirm"):
            return False
        if read_yes_no(self.text(tracker), tracker) is True:
            return False  # "nej, den anden" is a no to this one and the other one named
        reference = self.reference(tracker)
        return reference.on is not None or reference.position is not None

    def corrects(self, text: str) -> bool:
        return super().corrects(text) or (not self.moving and position_in_list(text) is not None)

    async def extract_meeting_window(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = self.text(tracker)
        if self.starting(tracker):
            reference = read_meeting_reference(text, local_today())
            if reference.new_time is not None:
                moved_to = self.at_the_same_time(dispatcher, tracker, reference.new_time)
                return {"meeting_window": window_to_slot(moved_to, text)}
            day = self.chosen_day(dispatcher, tracker) if reference.same_day else None
            moved = new_time_on(day, text) if day else None
            return {"meeting_window": window_to_slot(moved, text)} if moved else {}
        if self.asked(tracker, "meeting_window") and find_window(text, local_today()) is None and find_time(text):
            day = self.chosen_day(dispatcher, tracker)  # "kl 16 samme dag", "samme dag kl 16"
            if day is not None:
                return {"meeting_window": window_to_slot(Window(day, day, None, find_time(text)), text)}
        found: dict[str, Any] = await super().extract_meeting_window(dispatcher, tracker, domain)
        window = window_from_slot(found.get("meeting_window"))
        if window is not None:
            found["meeting_window"] = window_to_slot(self.at_the_same_time(dispatcher, tracker, window), text)
        return found

    def chosen_when(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[date | None, time | None]:
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            when = meeting_when(tx.session, tracker)
        return (None, None) if tx.failed else when

    def chosen_day(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> date | None:
        return self.chosen_when(dispatcher, tracker)[0]

    def at_the_same_time(self, dispatcher: CollectingDispatcher, tracker: Tracker, window: Window) -> Window:
        """ "onsdag d. 20 samme tid": that day at the chosen meeting's time; a
        weekday alone is the one nearest the meeting (bot/dates/references.py)."""
        day, at = self.chosen_when(dispatcher, tracker)
        window = references.nearest_to_meeting(window, self.text(tracker), day) if day else window
        if window.at is not None or window.first != window.last or not _SAME_TIME.search(self.text(tracker)):
            return window
        return Window(window.first, window.last, None, at) if at else window

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


# A reason given in passing: "er syg", "pga arbejde", "fordi jeg har eksamen".
_REASON = re.compile(
    r"\b(?:fordi|pga\.?|på grund af|er syg|syg|har (?:arbejde|skole|eksamen)|skal arbejde)\b[^.!?]*", re.I
)


def meeting_when(session: Session, tracker: Tracker) -> tuple[date | None, time | None]:
    """The day and time of the meeting chosen in this form ("kl 16 samme dag", "onsdag samme tid")."""
    choice = str(tracker.get_slot("meeting_choice") or "")
    profile, _ = identified_profile(session, tracker)
    meeting = repo.own_meeting(session, profile.id, int(choice)) if profile and choice.isdigit() else None
    if meeting is None:
        return None, None
    if meeting.starts_at is None:
        return meeting.window_first, None
    local = meeting.starts_at.astimezone(DANISH_TIME)
    return local.date(), local.time()


def choose_meeting(session: Session, tracker: Tracker, reference: MeetingReference) -> dict[str, Any]:
    profile, _ = identified_profile(session, tracker)
    if profile is None:
        return {}
    when = now()
    meeting = None
    if reference.on is not None:
        meeting = repo.pick_meeting(session, profile.id, when, reference.on)
        if meeting is None and reference.on == local_today():
            # "mødet på tirsdag" said on a Tuesday with no meeting left today: next Tuesday's
            meeting = repo.pick_meeting(session, profile.id, when, reference.on + timedelta(days=7))
        if meeting is None:
            return {"meeting_choice": "none:" + reference.on.isoformat()}
    else:
        upcoming = repo.upcoming_meetings(session, profile.id, when, limit=50)
        position = reference.position or 0
        meeting = upcoming[position] if -len(upcoming) <= position < len(upcoming) else None
    if meeting is None:
        return {"meeting_choice": "none:"}
    return {"meeting_choice": str(meeting.id)}


class ValidateRescheduleMeetingForm(MeetingChoice, FormValidationAction):
    moving = True
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
