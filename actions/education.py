"""A young person's youth education: report a change (started, changed,
paused, stopped, finished a programme), each one an education_events row,
and see the current programme, the plan's next step and the latest changes."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.transaction import Reply
from actions.youth_forms import (
    NOTHING_SAVED,
    ForIdentified,
    YouthFormValidation,
    YouthSubmit,
    local_today,
    says_nothing,
)
from bot.dates import format_danish_date
from bot.db import education as repo
from bot.db.youth_models import YouthProfile
from bot.shared.municipality import current_municipality

KIND_WORDS = [
    ("stopped", r"stop(pet|per|pe)|droppe[tr]? ud|droppet|hoppet fra|smidt ud|sprunget fra|gå(et)? ud af|quit"),
    ("paused", r"pause|orlov|holder fri|sat på hold|på hold|break"),
    ("finished", r"færdig|faerdig|bestået|bestaaet|svendebrev|dimitt|student|eksamen|uddannet|done med"),
    ("changed", r"skift(et|er|e)|gået over til|flyttet over|byttet|changed|switch"),
    ("started", r"start(et|er)|begynd(t|er)|kommet ind|optaget|er kommet på|er inde på|startede|began|started"),
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


def read_kind(text: str) -> str | None:
    lowered = text.lower().strip()
    if lowered in _BUTTON_KINDS:
        return _BUTTON_KINDS[lowered]
    return next((kind for kind, words in KIND_WORDS if re.search(rf"\b({words})", lowered)), None)


def entity_value(tracker: Tracker, name: str) -> str | None:
    values = [str(e.get("value")) for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name]
    return values[-1] if values else None


class ValidateEducationForm(YouthFormValidation, FormValidationAction):
    form_slots = ("education_kind", "education_programme", "education_institution", "youth_confirm")

    def name(self) -> str:
        return "validate_education_form"

    def slots_needed(self, tracker: Tracker) -> list[str]:
        if tracker.get_slot("education_kind") in ("paused", "stopped", "finished"):
            return ["education_kind", "education_programme", "youth_confirm"]  # the school is known already
        return list(self.form_slots)

    async def extract_education_kind(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if self.starting(tracker) or self.asked(tracker, "education_kind"):
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
        found = entity_value(tracker, "programme")
        if found and (
            self.starting(tracker) or self.asked(tracker, "education_programme") or self.asked(tracker, "youth_confirm")
        ):
            return {"education_programme": found}
        if self.asked(tracker, "education_programme"):
            text = self.text(tracker).strip()
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


class ActionSaveEducation(YouthSubmit, Action):
    form = "education_form"

    def name(self) -> str:
        return "action_save_education"

    def save(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        kind, programme = tracker.get_slot("education_kind"), tracker.get_slot("education_programme")
        institution = tracker.get_slot("education_institution")
        if kind not in KIND_NAMES or not programme:
            return [NOTHING_SAVED]
        place = None if institution in (None, "-") else institution
        if place is None and kind in ("paused", "stopped", "finished"):
            place = profile.institution  # the school they were at
        repo.record_education(
            session, profile, kind=kind, programme=programme, institution=place, occurred_on=local_today()
        )
        replies: list[Reply] = [("utter_education_saved", {"change": KIND_NAMES[kind], "programme": programme})]
        if kind == "stopped":
            unit = current_municipality().unit("ungeindsatsen")
            replies.append(
                (
                    "utter_education_stopped_offer",
                    {"mentor_name": profile.mentor_name, "unit_name": unit.name, "unit_phone": unit.phone},
                )
            )
        return replies


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
