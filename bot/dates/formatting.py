"""Dates written out the Danish way for messages and the staff app."""

from __future__ import annotations

from datetime import date

from bot.dates.words import MONTH_NAMES


def format_danish_date(value: date) -> str:
    """date(2027, 1, 4) -> '4. januar 2027'."""
    return f"{value.day}. {MONTH_NAMES[value.month - 1]} {value.year}"
