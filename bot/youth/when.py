"""Dates, times and time windows inside short, slangy Danish messages
("havde møde m. mentor igår", "kan vi rykke til torsdag kl 14",
"nej det var i tirsdags", "en gang i næste uge eftermiddag").

Finds the expression anywhere in the sentence; deterministic, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Literal

Direction = Literal["future", "past"]

WEEKDAYS = {
    "mandag": 0,
    "tirsdag": 1,
    "onsdag": 2,
    "torsdag": 3,
    "fredag": 4,
    "lørdag": 5,
    "søndag": 6,
    "man": 0,
    "tirs": 1,
    "tir": 1,
    "ons": 2,
    "tors": 3,
    "tor": 3,
    "fre": 4,
    "fred": 4,
    "lør": 5,
    "søn": 6,
}
MONTHS = {
    "januar": 1,
    "jan": 1,
    "februar": 2,
    "feb": 2,
    "marts": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
PARTS_OF_DAY = {
    "morgen": (time(8), time(10)),
    "formiddag": (time(9), time(12)),
    "middag": (time(11), time(13)),
    "eftermiddag": (time(12), time(16)),
    "aften": (time(17), time(20)),
}
_ASCII = [("ae", "æ"), ("oe", "ø"), ("aa", "å")]
_DAY_WORDS = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_RELATIVE = {
    "i forgårs": -2,
    "iforgårs": -2,
    "i går": -1,
    "igår": -1,
    "i dag": 0,
    "idag": 0,
    "i aften": 0,
    "i morgen": 1,
    "imorgen": 1,
    "i overmorgen": 2,
    "iovermorgen": 2,
}
_RELATIVE_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)) + r")(?!\w)")
_IN_N = re.compile(r"\bom (\d+|en|et|to|tre|fire) (dag|dage|uge|uger)\b")
_AGO_N = re.compile(r"\bfor (\d+|en|et|to|tre|fire) (dag|dage|uge|uger) siden\b")
_NUMBER_WORDS = {"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4}
_PAST_WEEKDAY = re.compile(rf"\b(?:i|sidste|forrige)\s+({_DAY_WORDS})s?\b|\bi ({_DAY_WORDS})s\b")
_NEXT_WEEKDAY = re.compile(rf"\b(?:næste|på|på næste|til|til næste|om|nu på|her på)?\s*({_DAY_WORDS})(?:en)?\b")
_DAY_MONTH_NAME = re.compile(rf"\b(\d{{1,2}})\.?\s*({_MONTH_WORDS})\b")
_NUMERIC = re.compile(r"(?<![\d:])(?:d\.\s*|den\s+)?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?(?![\d:])")
_DAY_ONLY = re.compile(r"\b(?:d\.|den)\s*(\d{1,2})\.(?!\d)")
_TIME = re.compile(r"\b(?:kl\.?\s*(\d{1,2})(?:[.:](\d{2}))?|(\d{1,2}):(\d{2}))(?!\d)")
_NEXT_WEEK = re.compile(r"\bnæste uge\b|\bi næste uge\b|\bnæste ugen?\b")
_THIS_WEEK = re.compile(r"\bi denne uge\b|\bdenne uge\b|\bi den her uge\b|\bi ugen\b")


def normalise(text: str) -> str:
    lowered = " ".join(text.lower().split())
    for ascii_form, letter in _ASCII:
        lowered = lowered.replace(ascii_form, letter)
    return lowered.replace("saa", "så")


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _pick_year(month: int, day: int, today: date, direction: Direction) -> date | None:
    candidates = [d for d in (_valid(today.year + k, month, day) for k in (-1, 0, 1)) if d]
    if direction == "past":
        past = [d for d in candidates if d <= today]
        return max(past) if past else None
    future = [d for d in candidates if d >= today]
    return min(future) if future else None


def find_date(text: str, today: date, direction: Direction = "future") -> date | None:
    """The first date the message names; `direction` settles "mandag" and "3/2" without a year."""
    t = normalise(text)
    relative = _RELATIVE_RE.search(t)
    if relative:
        return today + timedelta(days=_RELATIVE[relative.group(1)])
    for pattern, sign in ((_IN_N, 1), (_AGO_N, -1)):
        match = pattern.search(t)
        if match:
            count = _NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
            days = count * (7 if match.group(2).startswith("uge") else 1)
            return today + timedelta(days=sign * days)
    match = _DAY_MONTH_NAME.search(t)
    if match:
        return _pick_year(MONTHS[match.group(2)], int(match.group(1)), today, direction)
    match = _NUMERIC.search(t)
    if match and 1 <= int(match.group(2)) <= 12:
        day, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            year = int(match.group(3))
            return _valid(year + 2000 if year < 100 else year, month, day)
        return _pick_year(month, day, today, direction)
    match = _DAY_ONLY.search(t)
    if match:
        day = int(match.group(1))
        this_month = _valid(today.year, today.month, day)
        following = _valid(today.year + (today.month == 12), today.month % 12 + 1, day)
        if direction == "past":
            return this_month if this_month and this_month <= today else None
        return this_month if this_month and this_month >= today else following
    match = _PAST_WEEKDAY.search(t)
    if match:
        weekday = WEEKDAYS[match.group(1) or match.group(2)]
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    match = _NEXT_WEEKDAY.search(t)
    if match:
        weekday = WEEKDAYS[match.group(1)]
        ahead = (weekday - today.weekday()) % 7
        if direction == "past":
            return today - timedelta(days=(today.weekday() - weekday) % 7)
        return today + timedelta(days=ahead or (7 if "næste" in match.group(0) else 0))
    return None


def find_time(text: str) -> time | None:
    """ "kl 14", "kl. 9.30", "14:30" -> a time of day; None without one."""
    match = _TIME.search(normalise(text))
    if not match:
        return None
    hour = int(match.group(1) or match.group(3))
    minute = int(match.group(2) or match.group(4) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def find_part_of_day(text: str) -> str | None:
    t = _RELATIVE_RE.sub(" ", normalise(text))  # "i morgen" is a day, not a part of one
    return next((part for part in sorted(PARTS_OF_DAY, key=len, reverse=True) if part in t), None)


@dataclass(frozen=True)
class Window:
    """When a young person could meet: a span of days and maybe a part of the day."""

    first: date
    last: date
    part_of_day: str | None = None
    at: time | None = None


def find_window(text: str, today: date) -> Window | None:
    """ "næste uge", "torsdag eller fredag eftermiddag", "i morgen kl 10" -> a window; None without a date."""
    t = normalise(text)
    part, at = find_part_of_day(t), find_time(t)
    if _NEXT_WEEK.search(t):
        monday = today + timedelta(days=7 - today.weekday())
        return Window(monday, monday + timedelta(days=4), part, at)
    if _THIS_WEEK.search(t):
        return Window(today, today + timedelta(days=max(0, 4 - today.weekday())), part, at)
    days = []
    for piece in re.split(r"\beller\b|\bog\b|,", t):
        found = find_date(piece, today, "future")
        if found:
            days.append(found)
    if not days:
        return None
    return Window(min(days), max(days), part, at)
