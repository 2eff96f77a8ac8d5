"""Meetings with the mentor or contact person: log one that took place, list
them, ask for a new one, move or cancel one (nothing is deleted), and the
reminder the day before a confirmed meeting."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common import contact_details, sessions
from actions.education import KIND_NAMES
from actions.youth_forms import (
    YouthFormValidation,
    at_local,
    local_today,
    reset_youth_slots,
    says_nothing,
)
from actions.youth_identity import identified_profile, now, tell_not_identified
from bot.dates import format_danish_date
from bot.db import youth as repo
from bot.db.models import MeetingStatus, MentorMeeting, as_utc
from bot.opening_hours import DANISH_TIME
from bot.youth.when import Window, find_date, find_window

_RATING = re.compile(r"\b([1-5])\s*(?:/|ud af|af|ud a)\s*5\b|\b(?:en|et|giver det|gi det|giv det)\s*([1-5])(?:'?er)?\b")
_BARE_DIGIT = re.compile(r"^\s*([1-5])\s*$")
_RATING_WORDS = [(5, ("super", "mega godt", "rigtig godt", "vildt godt", "fantastisk", "perfekt", "nice")),
                 (1, ("elendigt", "lort", "forfærdeligt", "horribelt", "fucked")),
                 (2, ("dårligt", "daarligt", "skidt", "kedeligt", "træls", "traels", "ikke så godt")),
                 (4, ("godt", "fint", "chill", "fedt", "hyggeligt")),
                 (3, ("ok", "okay", "okey", "fint nok", "så så", "mellem"))]


def read_rating(text: str, asked: bool) -> tuple[int, str] | None:
    """(1-5, the word used) from "4/5", "4 ud af 5", "gi det 3", "det gik fint"; a bare digit only when asked."""
    lowered = text.lower()
    match = _RATING.search(lowered) or (_BARE_DIGIT.match(lowered) if asked else None)
    if match:
        digit = next(group for group in match.groups() if group)
        return int(digit), f"{digit}/5"
    for score, words in _RATING_WORDS:
        for word in words:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                return score, word
    return None


def describe_when(meeting: MentorMeeting) -> str:
    if meeting.starts_at is not None:
        local = as_utc(meeting.starts_at).astimezone(DANISH_TIME)
        return f"{format_danish_date(local.date())} kl. {local:%H.%M}"
    if meeting.window_first and meeting.window_last and meeting.window_first != meeting.window_last:
        return f"mellem {format_danish_date(meeting.window_first)} og {format_danish_date(meeting.window_last)}"
    if meeting.window_first:
        return format_danish_date(meeting.window_first)
    return "tid ikke aftalt"


def describe_meeting(meeting: MentorMeeting) -> str:
    status = {MeetingStatus.REQUESTED: "ønsket, venter på svar", MeetingStatus.CONFIRMED: "aftalt",
              MeetingStatus.HELD: "holdt"}.get(meeting.status, meeting.status)
    rating = f", {meeting.rating}/5" if meeting.rating else ""
    return f"- {describe_when(meeting)} med {meeting.with_whom} ({status}{rating})"


def window_from_slot(value: Any) -> Window | None:
    if not isinstance(value, dict) or "first" not in value:
        return None
    at = time.fromisoformat(value["at"]) if value.get("at") else None
    return Window(date.fromisoformat(value["first"]), date.fromisoformat(value["last"]), value.get("part"), at)


def window_to_slot(window: Window, text: str) -> dict[str, Any]:
    return {"first": window.first.isoformat(), "last": window.last.isoformat(), "part": window.part_of_day,
            "at": window.at.isoformat() if window.at else None, "text": text[:200]}


def describe_window(window: Window) -> str:
    days = (format_danish_date(window.first) if window.first == window.last else
            f"mellem {format_danish_date(window.first)} og {format_danish_date(window.last)}")
    if window.at:
        return f"{days} kl. {window.at:%H.%M}"
    return f"{days} om {window.part_of_day}en" if window.part_of_day else days


# Log a meeting that took place ----------------------------------------------

class ValidateLogMeetingForm(YouthFormValidation, FormValidationAction):
    form_slots = ("meeting_date", "meeting_rating", "meeting_note", "youth_confirm")

    def name(self) -> str:
        return "validate_log_meeting_form"

    async def extract_meeting_date(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        text = self.text(tracker)
        found = find_date(text, local_today(), "past")
        if found and (self.starting(tracker) or self.asked(tracker, "meeting_date")
                      or self.asked(tracker, "youth_confirm")):
            return {"meeting_date": found.isoformat()}  # also a correction at the summary
        if self.asked(tracker, "meeting_date"):
            return {"meeting_date": "?"}
        return {}

    def validate_meeting_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            dispatcher.utter_message(response="utter_invalid_meeting_date")
            return {"meeting_date": None}
        if day > local_today():
            dispatcher.utter_message(response="utter_meeting_date_in_future")
            return {"meeting_date": None}
        return {"meeting_date": day.isoformat()}

    async def extract_meeting_rating(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        if not (self.starting(tracker) or self.asked(tracker, "meeting_rating")):
            return {}
        rating = read_rating(self.text(tracker), self.asked(tracker, "meeting_rating"))
        if rating:
            return {"meeting_rating": f"{rating[0]}|{rating[1]}"}
        return {"meeting_rating": "?"} if self.asked(tracker, "meeting_rating") else {}

    def validate_meeting_rating(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        if not re.match(r"^[1-5]\|", str(value)):
            dispatcher.utter_message(response="utter_invalid_meeting_rating")
            return {"meeting_rating": None}
        return {"meeting_rating": value}

    async def extract_meeting_note(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if self.asked(tracker, "meeting_note"):
            text = self.text(tracker).strip()
            return {"meeting_note": "-" if says_nothing(text) or not text else text[:500]}
        return {}


class ActionSaveMeetingLog(Action):
    def name(self) -> str:
        return "action_save_meeting_log"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        day, rating_slot = tracker.get_slot("meeting_date"), tracker.get_slot("meeting_rating")
        note, confirmed = tracker.get_slot("meeting_note"), tracker.get_slot("youth_confirm")
        try:
            with sessions().begin() as session:
                profile, problem = identified_profile(session, tracker)
                if profile is None:
                    tell_not_identified(dispatcher, problem)
                    return reset_youth_slots()
                if confirmed is not True or not day:
                    dispatcher.utter_message(response="utter_youth_nothing_saved")
                    return reset_youth_slots()
                score, word = str(rating_slot).split("|", 1)
                held = at_local(date.fromisoformat(day), None)
                repo.log_held_meeting(session, profile, held_at=held, with_whom=None, rating=int(score),
                                      how_it_went=word, note=None if note in (None, "-") else note,
                                      conversation_id=tracker.sender_id)
                mentor = profile.mentor_name
        except SQLAlchemyError:
            dispatcher.utter_message(response="utter_database_error", **contact_details())
            return reset_youth_slots()
        dispatcher.utter_message(response="utter_meeting_logged", mentor_name=mentor,
                                 meeting_day=format_danish_date(date.fromisoformat(day)), rating=score)
        return reset_youth_slots()


# Ask for a new meeting ------------------------------------------------------

class WindowExtraction(YouthFormValidation):
    """The time window ("næste uge om eftermiddagen", "torsdag kl 14") in the
    starting message, when asked, or as a correction at the summary."""

    window_from_start = True

    async def extract_meeting_window(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        text = self.text(tracker)
        window = find_window(text, local_today())
        may_read = ((self.window_from_start and self.starting(tracker)) or self.asked(tracker, "meeting_window")
                    or self.asked(tracker, "youth_confirm"))
        if window and may_read:
            return {"meeting_window": window_to_slot(window, text)}
        if self.asked(tracker, "meeting_window"):
            return {"meeting_window": {"unreadable": text[:200]}}
        return {}

    def validate_meeting_window(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
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


def window_fields(value: dict[str, Any]) -> tuple[Window, str]:
    window = window_from_slot(value)
    assert window is not None
    return window, str(value.get("text") or describe_window(window))


class ActionRequestMeeting(Action):
    def name(self) -> str:
        return "action_request_meeting"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        value, confirmed = tracker.get_slot("meeting_window"), tracker.get_slot("youth_confirm")
        try:
            with sessions().begin() as session:
                profile, problem = identified_profile(session, tracker)
                if profile is None:
                    tell_not_identified(dispatcher, problem)
                    return reset_youth_slots()
                if confirmed is not True or not isinstance(value, dict):
                    dispatcher.utter_message(response="utter_youth_nothing_saved")
                    return reset_youth_slots()
                window, text = window_fields(value)
                starts = at_local(window.first, window.at) if window.at and window.first == window.last else None
                repo.request_meeting(session, profile, first=window.first, last=window.last, window_text=text,
                                     starts_at=starts, conversation_id=tracker.sender_id)
                mentor = profile.mentor_name
        except SQLAlchemyError:
            dispatcher.utter_message(response="utter_database_error", **contact_details())
            return reset_youth_slots()
        dispatcher.utter_message(response="utter_meeting_requested", mentor_name=mentor,
                                 window=describe_window(window))
        return reset_youth_slots()


# Move or cancel a meeting ---------------------------------------------------

class MeetingChoice(WindowExtraction):
    """Which meeting: the one on the day the message names, or else the next one."""

    window_from_start = False  # "kan vi rykke mødet på torsdag": torsdag is the meeting, not the new time

    async def extract_meeting_choice(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        if tracker.get_slot("meeting_choice") and not self.asked(tracker, "meeting_choice"):
            return {}
        if not (self.starting(tracker) or self.asked(tracker, "meeting_choice")):
            return {}
        on = find_date(self.text(tracker), local_today(), "future")
        try:
            with sessions().begin() as session:
                profile, _ = identified_profile(session, tracker)
                if profile is None:
                    return {}
                meeting = repo.pick_meeting(session, profile.id, now(), on)
                meeting_id = meeting.id if meeting else None
        except SQLAlchemyError:
            return {"youth_outcome": "error"}
        if meeting_id is None:
            return {"meeting_choice": "none:" + (on.isoformat() if on else "")}
        return {"meeting_choice": str(meeting_id)}

    def validate_meeting_choice(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        if str(value).startswith("none:"):
            on = str(value)[5:]
            if on:
                dispatcher.utter_message(response="utter_no_meeting_that_day",
                                         meeting_day=format_danish_date(date.fromisoformat(on)))
            else:
                dispatcher.utter_message(response="utter_no_meetings_to_change")
            return {"meeting_choice": None, "youth_outcome": "no_meeting"}
        return {"meeting_choice": value}

    async def extract_change_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        if self.asked(tracker, "change_reason"):
            text = self.text(tracker).strip()
            return {"change_reason": "ikke oplyst" if says_nothing(text) or not text else text[:300]}
        return {}


class ValidateRescheduleMeetingForm(MeetingChoice, FormValidationAction):
    form_slots = ("meeting_choice", "meeting_window", "change_reason", "youth_confirm")

    def name(self) -> str:
        return "validate_reschedule_meeting_form"


class ValidateCancelMeetingForm(MeetingChoice, FormValidationAction):
    form_slots = ("meeting_choice", "change_reason", "youth_confirm")

    def name(self) -> str:
        return "validate_cancel_meeting_form"


class ChangeMeeting:
    """Move or cancel the chosen meeting, after the young person said yes
    (a mixin: the two actions below are what the action server registers)."""

    cancel = False

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        choice, confirmed = tracker.get_slot("meeting_choice"), tracker.get_slot("youth_confirm")
        reason, value = tracker.get_slot("change_reason") or "ikke oplyst", tracker.get_slot("meeting_window")
        outcome = tracker.get_slot("youth_outcome")
        try:
            with sessions().begin() as session:
                profile, problem = identified_profile(session, tracker)
                if profile is None:
                    tell_not_identified(dispatcher, problem)
                    return reset_youth_slots()
                if outcome:
                    return reset_youth_slots()  # already told (no meeting to change)
                meeting = session.get(MentorMeeting, int(choice)) if str(choice or "").isdigit() else None
                if confirmed is not True or meeting is None or meeting.profile_id != profile.id:
                    dispatcher.utter_message(response="utter_youth_nothing_saved")
                    return reset_youth_slots()
                old_when, mentor = describe_when(meeting), profile.mentor_name
                if not self.cancel and isinstance(value, dict) and "first" in value:
                    window, text = window_fields(value)
                    starts = at_local(window.first, window.at) if window.at and window.first == window.last else None
                    repo.move_meeting(session, meeting, first=window.first, last=window.last, window_text=text,
                                      starts_at=starts, reason=reason, conversation_id=tracker.sender_id)
                    moved_to = describe_window(window)
                else:
                    repo.cancel_meeting(session, meeting, reason)
                    moved_to = ""
        except (SQLAlchemyError, repo.YouthError):
            dispatcher.utter_message(response="utter_database_error", **contact_details())
            return reset_youth_slots()
        if moved_to:
            dispatcher.utter_message(response="utter_meeting_moved", old_when=old_when, window=moved_to,
                                     mentor_name=mentor)
        else:
            dispatcher.utter_message(response="utter_meeting_cancelled", old_when=old_when, mentor_name=mentor)
        return reset_youth_slots()


class ActionMoveMeeting(ChangeMeeting, Action):
    def name(self) -> str:
        return "action_move_meeting"


class ActionCancelMeeting(ChangeMeeting, Action):
    cancel = True

    def name(self) -> str:
        return "action_cancel_meeting"


# The summary before saving ---------------------------------------------------

class ActionAskYouthConfirm(Action):
    """"Skal jeg gemme det sådan?" with what the form collected."""

    def name(self) -> str:
        return "action_ask_youth_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        form = (tracker.active_loop or {}).get("name")
        if form == "log_meeting_form":
            score = str(tracker.get_slot("meeting_rating") or "?|").split("|", 1)[0]
            note = tracker.get_slot("meeting_note")
            day = format_danish_date(date.fromisoformat(tracker.get_slot("meeting_date")))
            dispatcher.utter_message(response="utter_confirm_meeting_log", rating=score, meeting_day=day,
                                     note="" if note in (None, "-") else f" Note: \"{note}\".")
        elif form == "book_meeting_form":
            window, _ = window_fields(tracker.get_slot("meeting_window"))
            dispatcher.utter_message(response="utter_confirm_meeting_request", window=describe_window(window))
        elif form in ("reschedule_meeting_form", "cancel_meeting_form"):
            with sessions()() as session:
                meeting = session.get(MentorMeeting, int(tracker.get_slot("meeting_choice")))
                old_when = describe_when(meeting) if meeting else "?"
            if form == "cancel_meeting_form":
                dispatcher.utter_message(response="utter_confirm_meeting_cancel", old_when=old_when)
            else:
                window, _ = window_fields(tracker.get_slot("meeting_window"))
                dispatcher.utter_message(response="utter_confirm_meeting_move", old_when=old_when,
                                         window=describe_window(window))
        else:
            dispatcher.utter_message(response="utter_confirm_education",
                                     change=KIND_NAMES.get(str(tracker.get_slot("education_kind")), ""),
                                     programme=str(tracker.get_slot("education_programme")))
        return []


# Listing, and the reminder ---------------------------------------------------

class ActionListMeetings(Action):
    def name(self) -> str:
        return "action_list_meetings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        try:
            with sessions().begin() as session:
                profile, problem = identified_profile(session, tracker)
                if profile is None:
                    tell_not_identified(dispatcher, problem)
                    return []
                upcoming = repo.upcoming_meetings(session, profile.id, now())
                past = repo.past_meetings(session, profile.id)
                mentor = profile.mentor_name
                lines_up = "\n".join(describe_meeting(m) for m in upcoming)
                lines_past = "\n".join(describe_meeting(m) for m in past)
        except SQLAlchemyError:
            dispatcher.utter_message(response="utter_database_error", **contact_details())
            return []
        dispatcher.utter_message(response="utter_meetings_list", mentor_name=mentor,
                                 upcoming=lines_up or "- ingen lige nu", past=lines_past or "- ingen endnu")
        return []


class ActionRemindMeeting(Action):
    """Sent by the reminder job (bot/youth/reminders.py) through Rasa's
    trigger_intent API the day before a confirmed meeting."""

    def name(self) -> str:
        return "action_remind_meeting"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        meeting_id = next((str(e.get("value")) for e in tracker.latest_message.get("entities") or []
                           if e.get("entity") == "meeting_id"), "")
        try:
            with sessions()() as session:
                meeting = session.get(MentorMeeting, int(meeting_id)) if meeting_id.isdigit() else None
                if meeting is None or meeting.starts_at is None:
                    return []
                local = as_utc(meeting.starts_at).astimezone(DANISH_TIME)
                mentor = meeting.with_whom
        except SQLAlchemyError:
            return []
        dispatcher.utter_message(response="utter_meeting_reminder", mentor_name=mentor,
                                 meeting_time=f"{local:%H.%M}")
        return []
