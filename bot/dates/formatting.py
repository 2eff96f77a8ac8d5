"""Dates written out the Danish way for messages and the staff app."""

from __future__ import annotations

from datetime import date, time

from bot.dates.words import MONTH_NAMES, WEEKDAY_NAMES


def format_danish_date(value: date) -> str:
    """date(2027, 1, 4) -> '4. januar 2027'."""
    return f"{value.day}. {MONTH_NAMES[value.month - 1]} {value.year}"


def format_danish_day(value: date, today: date, at: time | None = None) -> str:
    """What a receipt says back: 'mandag 4. januar', 'mandag 4. januar kl. 14.00';
    the year only when it is not this year's ('tirsdag 29. december 2026')."""
    day = f"{WEEKDAY_NAMES[value.weekday()]} {value.day}. {MONTH_NAMES[value.month - 1]}"
    day += f" {value.year}" if value.year != today.year else ""
    return day + (f" kl. {at:%H.%M}" if at is not None else "")
