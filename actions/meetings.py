"""Meetings with the mentor or contact person: log one that took place,
list them, and the reminder the day before a confirmed meeting. Asking for,
moving and cancelling one: actions/meeting_requests.py."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.transaction import Reply, Transaction
from actions.youth_forms import (
    HELD,
    NOTHING_SAVED,
    ForIdentified,
    YouthFormValidation,
    YouthSubmit,
    at_local,
    form_messages,
    held_time,
    local_today,
)
from actions.youth_identity import now, pairing_idle
from bot.dates import find_date, find_time, format_danish_date, format_danish_day
from bot.db import meetings as repo
from bot.db.youth import bound_profile_id
from bot.db.youth_models import MeetingStatus, MentorMeeting, YouthProfile
from bot.shared.clock import DANISH_TIME
from bot.shared.protocol import REMINDER_RESPONSE

_RATING = re.compile(r"\b([1-5])\s*(?:/|ud af|af|ud a)\s*5\b|\b(?:en|et|giver det|gi det|giv det)\s*([1-5])(?:'?er)?\b")
# A time told in the past tense ("det var i fredags", "vi havde møde i går"):
# a meeting that was held, not one to ask for.
TOLD_AS_HELD = re.compile(
    r"\b(?:var|havde|har\s+haft|har\s+været|holdt|snakkede|talte|mødtes|moedtes|sås|saas|"
    r"i\s*går|i\s*gaar|i\s*forgårs|i\s+\w+dags|sidste\s+uge|forrige\s+uge)\b",
    re.IGNORECASE,
)
LAST_WEEK = re.compile(r"\b(?:sidste|forrige)\s+uge\b", re.IGNORECASE)
_MEETING_WORDS = re.compile(r"\b(?:møde\w*|moede\w*|mentor\w*|kontaktperson\w*|mødtes|moedtes)\b", re.IGNORECASE)
# "det var i fredags kl 10 med Mette": met with someone named, the mentor or another adult.
_WITH_SOMEONE = re.compile(r"\b(?:med|m\.?|sammen\s+med)\s+[A-ZÆØÅ][a-zæøåé]+")
_BARE_DIGIT = re.compile(r"^\s*([1-5])\s*$")
# Words for how it went, kept as written; the longer first ("ikke så godt" before "godt").
_RATING_WORDS = [
    ("super", "mega godt", "rigtig godt", "vildt godt", "fantastisk", "perfekt", "nice"),
    ("elendigt", "lort", "forfærdeligt", "horribelt", "fucked"),
    ("dårligt", "daarligt", "skidt", "kedeligt", "træls", "traels", "ikke så godt"),
    ("fint nok", "så så"),
    ("godt", "fint", "chill", "fedt", "hyggeligt"),
    ("ok", "okay", "okey", "mellem"),
]


def read_rating(text: str, asked: bool) -> tuple[int | None, str] | None:
    """How it went: (1-5, "4/5") from "4/5", "4 ud af 5", "gi det 3" (a bare
    digit only when asked), or (None, the word) from "det gik fint": a word
    is kept as written, never turned into a number nobody gave (issue 17)."""
    lowered = text.lower()
    match = _RATING.search(lowered) or (_BARE_DIGIT.match(lowered) if asked else None)
    if match:
        digit = next(group for group in match.groups() if group)
        return int(digit), f"{digit}/5"
    for words in _RATING_WORDS:
        for word in words:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                return None, word
    return None


def rating_slot(rating: tuple[int | None, str]) -> str:
    """The meeting_rating slot: "4|4/5", or "|fint" for a word."""
    return f"{rating[0] or ''}|{rating[1]}"


def tells_a_held_meeting(text: str) -> bool:
    """ "torsdag i sidste uge, m min mentor": a day gone by, told in the past
    tense, about a meeting; a misunderstood message that says so starts the
    log form on it (actions/fallback.py)."""
    day = find_date(text, local_today(), "past")
    return (
        day is not None
        and day < local_today()
        and bool(TOLD_AS_HELD.search(text))
        and bool(_MEETING_WORDS.search(text) or _WITH_SOMEONE.search(text))
    )


# Words around a time of day that say nothing else: "omkring halv 11 tror jeg, 10.30".
_AROUND_A_TIME = re.compile(
    r"\b(?:omkring|cirka|ca|tror|jeg|vel|nok|vist|det|var|den|da|sådan|sadan|ish|kl|klokken|halv|kvart|over|i|om"
    r"|ved|tiden|at|around|about|maybe|like|think|it|was)\b"
)


def only_a_time(text: str) -> bool:
    """ "kl 14", "omkring halv 11 tror jeg, 10.30": a time of day and nothing else said."""
    words = re.findall(r"[^\W\d_]+", _AROUND_A_TIME.sub(" ", text.lower()))
    return find_time(text) is not None and len(words) <= 1


def describe_when(meeting: MentorMeeting) -> str:
    if meeting.starts_at is not None:
        local = meeting.starts_at.astimezone(DANISH_TIME)
        return f"{format_danish_date(local.date())} kl. {local:%H.%M}"
    if meeting.window_first and meeting.window_last and meeting.window_first != meeting.window_last:
        return f"mellem {format_danish_date(meeting.window_first)} og {format_danish_date(meeting.window_last)}"
    if meeting.window_first:
        return format_danish_date(meeting.window_first)
    return "tid ikke aftalt"


def describe_meeting(meeting: MentorMeeting) -> str:
    status = {
        MeetingStatus.REQUESTED: "ønsket, venter på svar",
        MeetingStatus.CONFIRMED: "aftalt",
        MeetingStatus.HELD: "holdt",
    }.get(meeting.status, meeting.status)
    said = f", {meeting.rating}/5" if meeting.rating else ""
    rating = said or (f", {meeting.how_it_went}" if meeting.how_it_went else "")
    return f"- {describe_when(meeting)} med {meeting.with_whom} ({status}{rating})"


# Log a meeting that took place ----------------------------------------------


# What was talked about, said in passing: "vi snakkede om min hf ansøgning" is the note.
_TALKED_ABOUT = re.compile(
    r"\b(?:vi |jeg |)(?:snakkede|talte|snakker|taler|aftalte|kiggede på|arbejdede med|fik snakket)\b[^.!?]*", re.I
)


def note_in(text: str) -> str | None:
    match = _TALKED_ABOUT.search(text)
    return match.group(0).strip()[:500] if match else None


def held_when(value: Any) -> tuple[date, time | None]:
    """The meeting_date slot: "2027-01-11", or "2027-01-11T13:00" when a time was given."""
    day, _, moment = str(value).partition("T")
    held_on = date.fromisoformat(day)
    return held_on, held_time(held_on, time.fromisoformat(moment) if moment else None)


def describe_held(value: Any) -> str:
    """ "mandag 11. januar kl. 14.00": the day as the questions and the receipt say it back."""
    day, moment = held_when(value)
    return format_danish_day(day, local_today(), moment)


def rating_words(value: Any) -> str:
    """ " (4/5)" or ' ("fint")' for the summary and the receipt, "" when nothing was said about it."""
    score, _, word = str(value or "").partition("|")
    if score.isdigit():
        return f" ({score}/5)"
    return f' ("{word}")' if word else ""


# "det var i fredags kl 10 med Mette": who the meeting was with, said by name (else the mentor).
_MET_WITH = re.compile(r"\b(?:med|m\.|sammen\s+med|hos)\s+([A-ZÆØÅ][a-zæøåé]+)")
_NO_NAME = frozenset({"min", "mit", "mine", "hende", "ham", "dem", "det", "den", "en", "et", "jer", "dig", "mig"})


def met_with(tracker: Tracker) -> str | None:
    """The name the young person met, when a message of the log form gives one."""
    for message in form_messages(tracker, "log_meeting_form"):
        for found in _MET_WITH.finditer(str(message.get("text") or "")):
            if found.group(1).lower() not in _NO_NAME and not _MEETING_WORDS.match(found.group(1)):
                return found.group(1)
    return None


def note_words(note: Any) -> str:
    return "" if note in (None, "-") else f' Note: "{note}".'


class ValidateLogMeetingForm(YouthFormValidation, FormValidationAction):
    """When (asked, when not told), then saved at once: the receipt names the
    day and time understood and invites what was talked about, so that a young
    person who leaves after telling the day loses nothing (issue 17). A note and
    how it went are kept only when the young person said them ("vi snakkede om
    praktik", "det gik fint", "4/5"): never asked for, nothing is stored that was
    not given. A note or a correction after the save: actions/youth_undo.py."""

    form_slots = ("meeting_date",)

    def name(self) -> str:
        return "validate_log_meeting_form"

    def slots_needed(self, tracker: Tracker) -> list[str]:
        # A rating or note is listed only once given, so that it is kept (rasa-sdk extracts and keeps
        # only required slots): the rating once read with the day, the note once the message holds one.
        given = ["meeting_rating"] if tracker.get_slot("meeting_rating") else []
        if tracker.get_slot("meeting_note") or self.note_told(tracker):
            given.append("meeting_note")
        return list(self.form_slots) + given + self.final_yes(tracker)

    def note_told(self, tracker: Tracker) -> bool:
        """ "sås i går kl 13, vi talte om praktik": what was talked about, in the message that starts the form."""
        starting = self.starting(tracker) or self.asked(tracker, "youth_confirm")
        return starting and note_in(self.text(tracker)) is not None

    async def extract_meeting_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = self.text(tracker)
        found = find_date(text, local_today(), "past")
        slots: dict[str, Any] = {}
        rating = read_rating(text, asked=False)
        if rating and (self.starting(tracker) or self.asked(tracker, "youth_confirm")):
            slots["meeting_rating"] = rating_slot(rating)
        current = tracker.get_slot("meeting_date")
        known = current if isinstance(current, str) and len(current) >= 10 and current != "?" else None
        moment = find_time(text)
        if found and (
            self.starting(tracker) or self.asked(tracker, "meeting_date") or self.asked(tracker, "youth_confirm")
        ):
            return slots | {"meeting_date": found.isoformat() + (f"T{moment:%H:%M}" if moment else "")}
        if self.asked(tracker, "meeting_date"):
            return slots | {"meeting_date": "?"}
        if moment and known:
            # "kl 14" after the day was given (at the question asked after a database error): that day's time
            return slots | {"meeting_date": f"{known[:10]}T{moment:%H:%M}"}
        return slots

    def validate_meeting_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            day, _ = held_when(value)
        except ValueError:
            dispatcher.utter_message(response="utter_invalid_meeting_date")
            return {"meeting_date": None}
        if day > local_today():
            dispatcher.utter_message(response="utter_meeting_date_in_future")
            return {"meeting_date": None}
        return {"meeting_date": value}

    def validate_meeting_rating(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not re.match(r"^[1-5]?\|.", str(value)):
            dispatcher.utter_message(response="utter_invalid_meeting_rating")
            return {"meeting_rating": None}
        return {"meeting_rating": value}

    def corrects(self, text: str) -> bool:
        return super().corrects(text) or note_in(text) is not None or read_rating(text, asked=False) is not None

    async def extract_meeting_note(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        said = note_in(self.text(tracker))
        return {"meeting_note": said} if said and self.note_told(tracker) else {}


class ActionSaveMeetingLog(YouthSubmit, Action):
    form = "log_meeting_form"

    def name(self) -> str:
        return "action_save_meeting_log"

    def record(self, session: Session, profile: YouthProfile, tracker: Tracker) -> tuple[list[Reply], dict[str, Any]]:
        day, how = tracker.get_slot("meeting_date"), tracker.get_slot("meeting_rating")
        note = tracker.get_slot("meeting_note")
        if not day:
            return [NOTHING_SAVED], {}
        score, _, word = str(how or "").partition("|")
        held_on, moment = held_when(day)
        noted = note not in (None, "-")
        meeting = repo.log_held_meeting(
            session,
            profile,
            held_at=at_local(held_on, moment),
            with_whom=met_with(tracker),
            rating=int(score) if score.isdigit() else None,
            how_it_went=word or None,
            note=note if noted else None,
            conversation_id=tracker.sender_id,
        )
        receipt = {
            "mentor_name": profile.mentor_name,
            "with_whom": meeting.with_whom,
            "rating": rating_words(how),
            "meeting_day": describe_held(day),
            "note": note_words(note),
        }
        # Without a note the receipt invites one: the next message, if it is one, is added (actions/youth_undo.py).
        response = "utter_meeting_logged" if noted else "utter_meeting_logged_ask_note"
        remembered = {"kind": HELD, "id": meeting.id, "timed": moment is not None, "asks_note": not noted}
        return [(response, receipt)], remembered


# Listing, and the reminder ---------------------------------------------------


class ActionListMeetings(ForIdentified, Action):
    def name(self) -> str:
        return "action_list_meetings"

    def answer(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        upcoming = "\n".join(describe_meeting(m) for m in repo.upcoming_meetings(session, profile.id, now()))
        past = "\n".join(describe_meeting(m) for m in repo.past_meetings(session, profile.id))
        return [
            (
                "utter_meetings_list",
                {
                    "mentor_name": profile.mentor_name,
                    "upcoming": upcoming or "- ingen lige nu",
                    "past": past or "- ingen endnu",
                },
            )
        ]


class ActionRemindMeeting(Action):
    """Sent by the reminder job (bot/youth/reminders.py) through Rasa's
    trigger_intent API the day before a confirmed meeting."""

    def name(self) -> str:
        return "action_remind_meeting"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        meeting_id = next(
            (
                str(e.get("value"))
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == "meeting_id"
            ),
            "",
        )
        # No reply on a database error: a reminder that cannot be checked is not sent.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            bound = bound_profile_id(tx.session, tracker.sender_id, now=now(), idle=pairing_idle())
            # Only a meeting of the young person this conversation is bound to.
            meeting = (
                repo.own_meeting(tx.session, bound[0], int(meeting_id))
                if bound is not None and meeting_id.isdigit()
                else None
            )
            # Once: a second request for it (a scheduler that died before marking it sent) gets no answer.
            if (
                meeting is not None
                and meeting.starts_at is not None
                and repo.take_reminder(tx.session, meeting.id, now())
            ):
                tx.reply(
                    REMINDER_RESPONSE,
                    mentor_name=meeting.with_whom,
                    meeting_time=f"{meeting.starts_at.astimezone(DANISH_TIME):%H.%M}",
                )
        return []
