"""The municipality file: name, contact details, its units (who answers
about which service) and the course's format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from bot.shared.clock import DANISH_TIME
from bot.shared.opening_hours import ChatHours
from bot.shared.settings import load_settings


@dataclass(frozen=True)
class CourseFormat:
    name: str
    start_pregnancy_week: int
    end_child_age_months: int
    meetings: int
    group_size: int


@dataclass(frozen=True)
class Unit:
    """A municipal unit citizens contact: the health visitors, dental care, ..."""

    name: str
    phone: str
    email: str
    address: str
    opening_hours: str
    url: str


@dataclass(frozen=True)
class Retention:
    """How long personal data is kept (bot/retention.py deletes it after)."""

    conversation_days: int = 30
    cancelled_enrollment_days: int = 30
    days_after_course: int = 90


@dataclass(frozen=True)
class Security:
    """Limits that keep one person from reaching another's data or flooding the service."""

    # A conversation identified with a pairing code is logged out after this long without a message.
    pairing_idle_days: int = 14
    # A longer message gets a polite answer (unless it names a danger: then it is read anyway).
    max_message_chars: int = 2000
    # Messages one conversation may send a minute; past it nothing is read or stored.
    messages_per_minute: int = 20
    # New chat sessions one client address may start a minute (the widget's channel).
    new_sessions_per_minute: int = 10

    @property
    def pairing_idle(self) -> timedelta:
        return timedelta(days=self.pairing_idle_days)


@dataclass(frozen=True)
class Texts:
    """SMS: no text the person did not ask for (a reminder) between these hours, Danish time;
    and how many texts one number may send a minute."""

    quiet_from_hour: int = 21
    quiet_until_hour: int = 8
    # Past it a text is acknowledged and dropped, and the number is told once a minute (the
    # SMS app, bot/sms/app.py): every answer is a paid text, so a flood (or an auto-reply
    # answering ours) must not get an answer per message. At most security.messages_per_minute.
    messages_per_minute: int = 10

    def quiet(self, at: datetime) -> bool:
        hour = at.astimezone(DANISH_TIME).hour
        if self.quiet_from_hour > self.quiet_until_hour:  # over midnight
            return hour >= self.quiet_from_hour or hour < self.quiet_until_hour
        return self.quiet_from_hour <= hour < self.quiet_until_hour


@dataclass(frozen=True)
class Privacy:
    """The privacy texts citizens see; kept in the municipality file only."""

    enrollment_consent: str
    contact_consent: str
    chat_notice: str
    page_url: str


@dataclass(frozen=True)
class Municipality:
    name: str
    phone: str
    email: str
    website: str
    opening_hours: str
    course: CourseFormat
    units: dict[str, Unit]
    privacy: Privacy
    chat_hours: ChatHours = field(default_factory=lambda: ChatHours({}))
    retention: Retention = Retention()
    security: Security = Security()
    sms: Texts = Texts()
    # Team (StaffTeam) -> the on-duty phone that gets a text when a critical
    # case comes in outside chat_hours (actions/handover.py). A team left out gets none.
    on_duty: dict[str, str] = field(default_factory=dict)

    def unit(self, key: str) -> Unit:
        """The unit, or the municipality's general contact if the file has no such unit."""
        general = Unit(self.name, self.phone, self.email, "", self.opening_hours, self.website)
        return self.units.get(key, general)


def load_municipality(path: Path) -> Municipality:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Municipality(
        name=raw["name"],
        phone=str(raw["phone"]),
        email=raw["email"],
        website=raw["website"],
        opening_hours=raw["opening_hours"],
        course=CourseFormat(**raw["course"]),
        retention=Retention(**(raw.get("retention") or {})),
        security=Security(**(raw.get("security") or {})),
        sms=Texts(**(raw.get("sms") or {})),
        privacy=Privacy(**raw["privacy"]),
        chat_hours=ChatHours.parse(raw.get("chat_hours")),
        on_duty={str(team): str(number) for team, number in (raw.get("on_duty") or {}).items()},
        units={key: Unit(**(unit | {"phone": str(unit["phone"])})) for key, unit in (raw.get("units") or {}).items()},
    )


@lru_cache(maxsize=1)
def current_municipality() -> Municipality:
    return load_municipality(load_settings().municipality_file)


def contact_details() -> dict[str, str]:
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
    return {
        "privacy_enrollment_consent": privacy.enrollment_consent,
        "privacy_contact_consent": privacy.contact_consent,
    }


def course_details() -> dict[str, str]:
    """The course format from the municipality file, as response variables."""
    course = current_municipality().course
    return {
        "course_start_week": str(course.start_pregnancy_week),
        "course_end_months": str(course.end_child_age_months),
        "course_meetings": str(course.meetings),
    }


def session_slots() -> dict[str, str]:
    """What every conversation starts with in its slots, so any response can name
    the phone number, the opening hours and the course format (set by
    action_session_start, and by the Rasa server alone when the action server is down)."""
    return contact_details() | course_details() | privacy_details()
