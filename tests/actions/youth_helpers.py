"""Helpers for the young people's action tests (test_youth*.py): a fixed
"now", a profile, a tracker with one user message, and running an action or
a form's validate_/extract_ method. The clock itself is the
`fixed_youth_clock` fixture (conftest.py)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot.db.youth import create_profile
from bot.db.youth_models import YouthProfile
from bot.shared.clock import DANISH_TIME
from tests.helpers import responses

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=DANISH_TIME)  # a Wednesday


def young(session: Session, reference: str, name: str, mentor: str) -> YouthProfile:
    profile = create_profile(
        session,
        reference=reference,
        first_name=name,
        mentor_name=mentor,
        mentor_contact=f"{mentor.lower()}@example.dk",
        aftercare_ends_on=date(2028, 1, 1),
    )
    session.commit()
    return profile


def tracker(
    sender: str,
    text: str = "",
    intent: str = "inform",
    *,
    metadata: dict[str, Any] | None = None,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}, "metadata": metadata or {}}]
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker(
        sender,
        dict(slots or {}),
        latest,
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def run(action: Action, t: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(action.run(dispatcher, t, {}))


def validate(form: Any, slot: str, value: Any, t: Tracker) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    return getattr(form, f"validate_{slot}")(value, dispatcher, t, {}), responses(dispatcher)


def extract(form: Any, slot: str, t: Tracker) -> dict[str, Any]:
    return asyncio.run(getattr(form, f"extract_{slot}")(CollectingDispatcher(), t, {}))
