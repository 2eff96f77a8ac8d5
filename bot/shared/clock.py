"""The one clock: every "now" and "today" in the project comes from here, so
the servers, the CLI and the tests agree. Times are stored in UTC; a date a
person means ("i dag", a due date, a meeting day) is a Danish date, which
between 23:00 and 24:00 UTC (22:00 in summer) is already tomorrow's."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.shared.settings import pinned_today

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def utc_now() -> datetime:
    real = datetime.now(timezone.utc)
    pinned = pinned_today()
    if pinned is None:
        return real
    # Whole days only: the time of day runs on, the Danish date is the pinned one.
    return real + timedelta(days=(pinned - real.astimezone(DANISH_TIME).date()).days)


def danish_now() -> datetime:
    return utc_now().astimezone(DANISH_TIME)


def danish_today() -> date:
    return danish_now().date()
