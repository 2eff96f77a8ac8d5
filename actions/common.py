"""Small helpers every feature's actions share."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session, sessionmaker

from bot.db.session import default_sessionmaker
from bot.municipality import current_municipality

_YES = re.compile(r"^\s*(ja|jo|jep|jeps|yes|yep|ok|okay|gerne|selvfølgelig|rigtigt|korrekt)\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(nej|nope|no|nah|næh|naeh|ikke|aldrig)\b", re.IGNORECASE)


_override: sessionmaker[Session] | None = None


def sessions() -> sessionmaker[Session]:
    """The one sessionmaker for the configured DATABASE_URL."""
    return _override or default_sessionmaker()


def use_sessionmaker(maker: sessionmaker[Session] | None) -> None:
    """Point the actions at another database (the tests' own); None resets."""
    global _override
    _override = maker


def today() -> date:
    return date.today()


def contact_details() -> dict[str, Any]:
    """The municipality's contact details as response variables."""
    m = current_municipality()
    return {
        "municipality_name": m.name,
        "municipality_phone": m.phone,
        "municipality_email": m.email,
        "municipality_hours": m.opening_hours,
    }


def privacy_details() -> dict[str, str]:
    """The privacy texts from the municipality file, as response variables."""
    privacy = current_municipality().privacy
    return {"privacy_enrollment_consent": privacy.enrollment_consent,
            "privacy_contact_consent": privacy.contact_consent}


def course_details() -> dict[str, str]:
    """The course format from the municipality file, as response variables."""
    course = current_municipality().course
    return {
        "course_start_week": str(course.start_pregnancy_week),
        "course_end_months": str(course.end_child_age_months),
        "course_meetings": str(course.meetings),
    }


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def read_yes_no(value: Any, tracker: Tracker) -> bool | None:
    """Interpret a yes/no slot: True/False from affirm/deny, else from the text."""
    if isinstance(value, bool):
        return value
    intent = latest_intent(tracker)
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    text = str(value or "")
    if _YES.match(text):
        return True
    if _NO.match(text):
        return False
    return None
