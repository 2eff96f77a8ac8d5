"""A young person's youth education: report a change (started, changed,
paused, stopped, finished a programme), each one an education_events row,
and see the current programme, the plan's next step and the latest changes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.transaction import Reply
from actions.youth_forms import (
    EDUCATION,
    NOTHING_SAVED,
    ForIdentified,
    YouthFormValidation,
    YouthSubmit,
    form_messages,
    local_today,
    says_nothing,
)
from bot.dates import find_date, format_danish_date, format_danish_day
from bot.dates.words import MONTH_NAMES, WEEKDAY_NAMES, normalise
from bot.db import education as repo
from bot.db.youth_models import YouthProfile
from bot.shared.municipality import current_municipality

KIND_WORDS = [
    (
        "stopped",
        r"stop(pet|per|pe)|stoppede|stopet|stopede|droppe[tr]? ud|droppet|droppede|hoppe(t|de) (fra|af)|smidt ud|"
        r"sprunget fra|"
        r"sprang fra|gå(et)? ud af|gik ud af|meldt mig ud|meldte mig ud|er slut for mig|quit|dropped|"
        r"left\s+(?:school|the)",
    ),
    ("paused", r"pause|orlov|holder fri|sat på hold|på hold|break"),
    (
        "finished",
        r"færdig|faerdig|bestået|bestaaet|svendebrev|dimitt|student|eksamen|uddannet|done med|finished|graduated|"
        r"completed",
    ),
    ("changed", r"skift(et|er|e)|gået over til|flyttet over|byttet|changed|switch"),
    (
        "started",
        r"start(et|er)|begynd(t|er)|kommet ind|optaget|er kommet på|er inde på|startede|began|started|"
        r"start(?:ing)?\s+(?:at|on|in)|i\s+start\b|enrolled|got\s+into",
    ),
]
KIND_NAMES = {
    "started": "startet på",
    "changed": "skiftet til",
    "paused": "holder pause fra",
    "stopped": "stoppet på",
    "finished": "færdig med",
}
_BUTTON_KINDS = {
    "/started": "started",
    "startet": "started",
    "skiftet": "changed",
    "pause": "paused",
    "stoppet": "stopped",
    "færdig": "finished",
}


_ALL_KINDS = "|".join(words for _, words in KIND_WORDS)


def read_kind(text: str) -> str | None:
    lowered = text.lower().strip()
    if lowered in _BUTTON_KINDS:
        return _BUTTON_KINDS[lowered]
    return next((kind for kind, words in KIND_WORDS if re.search(rf"\b({words})", lowered)), None)


def entity_value(tracker: Tracker, name: str) -> str | None:
    values = [str(e.get("value")) for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name]
    return values[-1] if values else None


# What stands right before a programme's name in a message that names two:
# the one left ("droppet ud af stx", "fra hf") and the one begun ("startet på
# fgu", "til eux"). "droppet ud af stx og startet på fgu i stedet" was stored
# as stopping fgu: the stop word came first, the last programme was taken.
_LEFT_BEFORE = re.compile(
    r"\b(?:fra|ud af|stop(?:pet|per|pede)?|droppe(?:t|de|r)?|hoppet fra|sprunget fra|smidt ud af|"
    r"færdig med|faerdig med|quit|left)\s+(?:på\s+|paa\s+|med\s+)?(?:min\s+|mit\s+|den\s+)?"
    r"(?:gymnasi\w*\s+|uddannelse\w*\s+|skole\w*\s+)?$"
)
_BEGUN_BEFORE = re.compile(
    r"\b(?:til|start(?:et|er|ede)?|begynd(?:t|er|te)?|går|gaar|kommet ind|optaget|inde|kommet|started|"
    r"began|joined)\s+(?:nu\s+|i stedet\s+)?(?:på\s+|paa\s+|med\s+)?(?:en\s+|et\s+|min\s+|mit\s+)?$"
)


_A_PROGRAMME = re.compile(r"\b([^\W\d_]{2,}?)-?uddannelsen?\b")
# What is left of a message that only says when: the kind of change and the day's words.
_WHEN_WORDS = re.compile(
    r"\b(?:jeg|er|har|det|den|var|d|i|på|paa|fra|sidste|næste|uge|dag|dage|siden|for|kl|lige|bare|går|forgårs|"
    rf"morgen|(?:{'|'.join(WEEKDAY_NAMES)})\w*|{'|'.join(MONTH_NAMES)})\b|\d+"
)


def programme_in_words(text: str) -> str | None:
    """ "tømreruddannelsen", "sosu-uddannelsen", also written without æ/ø/å:
    the programme a word names, when NLU's lookup missed it."""
    found = _A_PROGRAMME.search(normalise(text))
    return found.group(1) if found and found.group(1) not in ("en", "min", "din", "ny") else None


_BARE_YES = re.compile(
    r"^\W*(?:(?:ja+|jo|jep|jeps|jaja|yes|yep|yeah|ok|okay|oki|okidoki|fint|super|klart|sure|korrekt|rigtigt)\W*)?$",
    re.IGNORECASE,
)


def only_when(text: str) -> bool:
    """A message that says when and what happened, and no programme."""
    said = normalise(text)
    left = re.sub(r"[^\w]+", " ", _WHEN_WORDS.sub(" ", re.sub(rf"\b(?:{_ALL_KINDS})\w*", " ", said)))
    return not left.strip() and said.strip() != ""


def programme_switch(message: dict[str, Any]) -> tuple[str, str] | None:
    """(begun, left) when a message names two programmes, one as left and one
    as begun, in either order ("startet på fgu efter jeg droppede stx")."""
    text = str(message.get("text") or "").lower()
    entities = [e for e in message.get("entities") or [] if e.get("entity") == "programme" and "start" in e]
    begun = left = None
    for entity in entities:
        before = text[max(0, int(entity["start"]) - 40) : int(entity["start"])]
        if _LEFT_BEFORE.search(before) and left is None:
            left = str(entity.get("value"))
        elif _BEGUN_BEFORE.search(before) and begun is None:
            begun = str(entity.get("value"))
    return (begun, left) if begun and left and begun.lower() != left.lower() else None


class ValidateEducationForm(YouthFormValidation, FormValidationAction):
    """What happened and to which programme; saved as soon as both are known
    (issue 17), on the day a message of the form names, else today."""

    form_slots = ("education_kind", "education_programme", "education_institution")

    def name(self) -> str:
        return "validate_education_form"

    def slots_needed(self, tracker: Tracker) -> list[str]:
        # The school is taken when named ("startet på hf på vuc"), never asked for:
        # people answered "Hvor?" with "ja", meaning the change itself.
        named = ["education_institution"] if tracker.get_slot("education_institution") else []
        return ["education_kind", "education_programme", *named, *self.final_yes(tracker)]  # kept once named

    async def extract_education_kind(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if self.starting(tracker) or self.asked(tracker, "education_kind"):
            if programme_switch(tracker.latest_message):
                return {"education_kind": "changed"}
            kind = read_kind(self.text(tracker))
            if kind:
                return {"education_kind": kind}
            return {"education_kind": "?"} if self.asked(tracker, "education_kind") else {}
        return {}

    def validate_education_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value not in KIND_NAMES:
            dispatcher.utter_message(response="utter_invalid_education_kind")
            return {"education_kind": None}
        return {"education_kind": value}

    async def extract_education_programme(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        switch = programme_switch(tracker.latest_message)
        found = switch[0] if switch else entity_value(tracker, "programme")
        # Named in the answer to what happened ("er startet på eux i går") as well.
        answering = self.starting(tracker) or self.asked(tracker, "education_programme")
        if found and (answering or self.asked(tracker, "youth_confirm") or self.asked(tracker, "education_kind")):
            school = entity_value(tracker, "institution")
            return {"education_programme": found} | ({"education_institution": school} if school else {})
        named = programme_in_words(self.text(tracker))
        if named and (answering or self.asked(tracker, "education_kind")):
            return {"education_programme": named}  # "toemreruddannelsen", written without ø
        if self.asked(tracker, "education_programme"):
            text = self.text(tracker).strip()
            if only_when(text) or _BARE_YES.match(text):
                # "stoppede i fredags": the day, kept for later; "jep", "ok": no programme's name
                return {"education_programme": "?"}
            return {"education_programme": text[:100] if text and not says_nothing(text) else "?"}
        return {}

    def validate_education_programme(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value or value == "?":
            dispatcher.utter_message(response="utter_invalid_education_programme")
            return {"education_programme": None}
        return {"education_programme": value}

    async def extract_education_institution(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = entity_value(tracker, "institution")
        if found and (self.starting(tracker) or self.asked(tracker, "education_institution")):
            return {"education_institution": found}
        return self.free_text(tracker, "education_institution", 150, nothing="-")


_FUTURE = re.compile(r"\b(starter|begynder|skal (starte|begynde|stoppe|skifte)|fra på|stopper)\b")
# "Jeg stopper gymnasium stx. Jeg begyndte FGU 6 september.": a change told in the past is in the past.
_PAST_VERB = re.compile(
    r"\b(?:begyndte|startede|stoppede|stopede|droppede|hoppede|skiftede|er (?:startet|begyndt|stoppet|skiftet)|"
    r"har (?:startet|skiftet|droppet)|started|began|stopped|dropped)\b"
)


def education_day(tracker: Tracker) -> date | None:
    """The day of the change, when a message of the form names one ("startet
    mandag d. 4. januar", "i fredags", "starter på mandag"); the latest wins."""
    for message in form_messages(tracker, "education_form"):
        text = str(message.get("text") or "")
        lowered = text.lower()
        future = _FUTURE.search(lowered) and not _PAST_VERB.search(lowered)
        day = find_date(text, local_today(), "future" if future else "past")
        if day is not None:
            return day
    return None


def switched_from(tracker: Tracker, programme: str) -> str | None:
    """ "skiftet fra stx til fgu": the programme left, when a change names two."""
    for message in form_messages(tracker, "education_form"):
        switch = programme_switch({"text": message.get("text"), **(message.get("parse_data") or {})})
        if switch:
            return switch[1]
        entities = (message.get("parse_data") or {}).get("entities") or []
        names = [str(e.get("value")) for e in entities if e.get("entity") == "programme"]
        others = [name for name in names if name.lower() != programme.lower()]
        if others:
            return others[0]
    return None


def described_change(tracker: Tracker) -> str:
    """What the confirmation names: the programme and, when one was given, the day."""
    programme = str(tracker.get_slot("education_programme"))
    day = education_day(tracker)
    return f"{programme} d. {format_danish_date(day)}" if day and day != local_today() else programme


def said_day(day: date | None) -> str:
    """ "mandag 4. januar", or "i dag, tirsdag 12. januar" for a change told without a day."""
    today = local_today()
    return format_danish_day(day, today) if day and day != today else f"i dag, {format_danish_day(today, today)}"


class ActionAskEducationProgramme(Action):
    """ "Hvilken uddannelse?", naming the day understood when a message gave one ("stoppede i onsdags")."""

    def name(self) -> str:
        return "action_ask_education_programme"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        day = education_day(tracker)
        when = f" Jeg har skrevet {format_danish_day(day, local_today())} som dato." if day else ""
        dispatcher.utter_message(response="utter_ask_education_programme", when=when)
        return []


class ActionSaveEducation(YouthSubmit, Action):
    form = "education_form"

    def name(self) -> str:
        return "action_save_education"

    def record(self, session: Session, profile: YouthProfile, tracker: Tracker) -> tuple[list[Reply], dict[str, Any]]:
        kind, programme = tracker.get_slot("education_kind"), tracker.get_slot("education_programme")
        institution = tracker.get_slot("education_institution")
        if kind not in KIND_NAMES or not programme:
            return [NOTHING_SAVED], {}
        place = None if institution in (None, "-") else institution
        if place is None and kind in ("paused", "stopped", "finished"):
            place = profile.institution  # the school they were at
        previous = switched_from(tracker, programme) if kind == "changed" else None
        before = [profile.programme, profile.institution]
        day = education_day(tracker)
        event = repo.record_education(
            session,
            profile,
            kind=kind,
            programme=programme,
            institution=place,
            occurred_on=day or local_today(),
            note=f"skiftet fra {previous}" if previous else None,
        )
        receipt = {"change": KIND_NAMES[kind], "programme": programme, "when": said_day(day)}
        replies: list[Reply] = [("utter_education_saved", receipt)]
        remembered = {
            "kind": EDUCATION,
            "id": event.id,
            "before": before,
            "after": [profile.programme, profile.institution],
            "programme": programme,
            "offer": kind == "stopped",  # a no to the talk offered is no undo
        }
        if kind == "stopped":
            unit = current_municipality().unit("ungeindsatsen")
            replies.append(
                (
                    "utter_education_stopped_offer",
                    {"mentor_name": profile.mentor_name, "unit_name": unit.name, "unit_phone": unit.phone},
                )
            )
        return replies, remembered


class ActionShowEducation(ForIdentified, Action):
    def name(self) -> str:
        return "action_show_education"

    def answer(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        events = "\n".join(
            f"- {format_danish_date(e.occurred_on)}: {KIND_NAMES[e.kind]} {e.programme}"
            + (f" ({e.institution})" if e.institution else "")
            for e in repo.latest_education(session, profile.id)
        )
        current = (
            f"{profile.programme}" + (f" på {profile.institution}" if profile.institution else "")
            if profile.programme
            else "ingen uddannelse registreret lige nu"
        )
        next_step = profile.plan_next_step or "ikke skrevet ind endnu; tal med din mentor om det"
        return [
            (
                "utter_education_status",
                {"current": current, "next_step": next_step, "events": events or "- ingen endnu"},
            )
        ]
