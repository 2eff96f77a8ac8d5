"""When staff answer in the chat: the municipality file's `chat_hours`, in
Danish local time, and the next opening when they are closed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.shared.clock import DANISH_TIME

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DANISH_WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
_SPAN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")


class OpeningHoursError(ValueError):
    pass


@dataclass(frozen=True)
class ChatHours:
    """Opening time and closing time for each weekday (Monday = 0); closed days are absent."""

    days: dict[int, tuple[time, time]]

    @classmethod
    def parse(cls, raw: dict[str, str] | None) -> ChatHours:
        days: dict[int, tuple[time, time]] = {}
        for name, span in (raw or {}).items():
            if name not in WEEKDAYS:
                raise OpeningHoursError(f"chat_hours: unknown weekday {name!r} (use {', '.join(WEEKDAYS)})")
            match = _SPAN.match(str(span))
            if not match:
                raise OpeningHoursError(f"chat_hours.{name}: write it as '08:00-15:00', not {span!r}")
            h1, m1, h2, m2 = (int(group) for group in match.groups())
            opens, closes = time(h1, m1), time(h2, m2)
            if opens >= closes:
                raise OpeningHoursError(f"chat_hours.{name}: closes before it opens")
            days[WEEKDAYS.index(name)] = (opens, closes)
        return cls(days)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(DANISH_TIME)
        span = self.days.get(local.weekday())
        return span is not None and span[0] <= local.time() < span[1]

    def closes_today(self, now: datetime) -> time | None:
        span = self.days.get(now.astimezone(DANISH_TIME).weekday())
        return span[1] if span else None

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment staff are in, strictly after `now` (None if never)."""
        local = now.astimezone(DANISH_TIME)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            span = self.days.get(day.weekday())
            if span is None:
                continue
            opening = datetime.combine(day, span[0], tzinfo=DANISH_TIME)
            if opening > local:
                return opening
        return None


def clock(moment: time) -> str:
    return f"kl. {moment.hour}" if moment.minute == 0 else f"kl. {moment.hour}.{moment.minute:02d}"


def describe_opening(opening: datetime, now: datetime) -> str:
    """'i dag kl. 8', 'i morgen kl. 8', 'mandag kl. 8' (Danish local time)."""
    days = (opening.date() - now.astimezone(DANISH_TIME).date()).days
    when = "i dag" if days == 0 else "i morgen" if days == 1 else DANISH_WEEKDAYS[opening.weekday()]
    return f"{when} {clock(opening.time())}"
