"""Dates, times and time windows inside short, slangy Danish messages
("havde møde m. mentor igår", "kan vi rykke til torsdag kl 14",
"nej det var i tirsdags", "en gang i næste uge eftermiddag").

Finds the expression anywhere in the sentence with the shared Danish words
(bot/dates/words.py); deterministic, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.dates.english import english_dates
from bot.dates.words import (
    MONTHS,
    NUMBER_WORDS,
    PARTS_OF_DAY,
    RELATIVE_DAYS_RE,
    WEEKDAY_NAMES,
    WEEKDAYS,
    Direction,
    alternatives,
    normalise,
    pick_year,
    relative_day,
    valid_date,
)

_DAY_WORDS = alternatives(WEEKDAYS)
_COUNT = rf"(\d+|{alternatives(NUMBER_WORDS)})"
_IN_N = re.compile(rf"\bom {_COUNT} (dag|dage|uge|uger)\b")
_AGO_N = re.compile(rf"\bfor {_COUNT} (dag|dage|uge|uger) siden\b")
_PAST_WEEKDAY = re.compile(rf"\b(?:i|sidste|forrige)\s+({_DAY_WORDS})s?\b|\bi ({_DAY_WORDS})s\b")
_NEXT_WEEKDAY = re.compile(rf"\b(?:næste|på|på næste|til|til næste|om|nu på|her på)?\s*({_DAY_WORDS})(?:en)?\b")
_DAY_MONTH_NAME = re.compile(rf"\b(\d{{1,2}})\.?\s*({alternatives(MONTHS)})\b")
_NUMERIC = re.compile(r"(?<![\d:])(?:d\.\s*|den\s+)?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?(?![\d:])")
# "d. 20.", "d 25", and "d. 20" followed by a word ("onsdag d. 20 samme tid",
# "mødet d 19 flyttes"), never a count ("den 20 minutter", "den 3 uger gamle")
_DAY_ONLY = re.compile(
    r"\b(?:d\.?|den)\s*(\d{1,2})(?:\.(?!\d)|(?=\s*[,!?)]|\s*$|\s+(?!(?:min\w*|time\w*|dag\w*|uge\w*|"
    r"måned\w*|år\w*|kr\w*|procent|gang\w*|stk\w*|personer|børn)\b)[a-zæøå]))"
)
# "kl 14", "kl. 9.30", "klokken 13", "14:30", and "ved 13-tiden", "omkring 11 tiden"
_TIME = re.compile(
    r"\b(?:(?:kl\.?|klokken)\s*(\d{1,2})(?:[.:](\d{2}))?|(\d{1,2}):(\d{2})"
    r"|(?:ved|omkring|cirka|ca\.?)\s+(\d{1,2})(?:[.:](\d{2}))?\s*-?\s*tiden\b)(?!\d)"
)
_NEXT_WEEK = re.compile(r"\bnæste uge\b|\bi næste uge\b|\bnæste ugen?\b")
_THIS_WEEK = re.compile(r"\bi denne uge\b|\bdenne uge\b|\bi den her uge\b|\bi ugen\b")


def _on_day_and_month(month: int, day: int, today: date, direction: Direction) -> date | None:
    return pick_year(lambda year: valid_date(year, month, day), today, direction)


def find_date(text: str, today: date, direction: Direction = "future") -> date | None:
    """The first date the message names; `direction` settles "mandag" and "3/2" without a year."""
    t = english_dates(normalise(text))
    around_today = relative_day(t, today)
    if around_today:
        return around_today
    for pattern, sign in ((_IN_N, 1), (_AGO_N, -1)):
        match = pattern.search(t)
        if match:
            count = NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
            weeks = match.group(2).startswith("uge")
            found = today + timedelta(days=sign * count * (7 if weeks else 1))
            named = re.search(rf"\b({'|'.join(WEEKDAY_NAMES)})(?:en)?\b", t) if weeks else None
            if named:  # "om to uger, tirsdag": that week's Tuesday
                return found + timedelta(days=WEEKDAY_NAMES.index(named.group(1)) - found.weekday())
            return found
    match = _DAY_MONTH_NAME.search(t)
    if match:
        return _on_day_and_month(MONTHS[match.group(2)], int(match.group(1)), today, direction)
    match = _NUMERIC.search(t)
    if match and 1 <= int(match.group(2)) <= 12:
        day, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            year = int(match.group(3))
            return valid_date(year + 2000 if year < 100 else year, month, day)
        return _on_day_and_month(month, day, today, direction)
    match = _DAY_ONLY.search(t)
    if match:
        day = int(match.group(1))
        this_month = valid_date(today.year, today.month, day)
        following = valid_date(today.year + (today.month == 12), today.month % 12 + 1, day)
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
    """ "kl 14", "kl. 9.30", "14:30", "ved 13-tiden" -> a time of day; None without one."""
    match = _TIME.search(normalise(text))
    if not match:
        return None
    hour = int(match.group(1) or match.group(3) or match.group(5))
    minute = int(match.group(2) or match.group(4) or match.group(6) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def find_part_of_day(text: str) -> str | None:
    t = RELATIVE_DAYS_RE.sub(" ", normalise(text))  # "i morgen" is a day, not a part of one
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
    next_week, this_week = _NEXT_WEEK.search(t), _THIS_WEEK.search(t)
    if next_week or this_week:
        monday = today + timedelta(days=(7 if next_week else 0) - today.weekday())
        day = re.search(rf"\b({'|'.join(WEEKDAY_NAMES)})(?:en)?\b", t)  # full names: "kan man" is no Monday
        if day:  # "onsdag i næste uge", "torsdag i denne uge": that day
            single = monday + timedelta(days=WEEKDAY_NAMES.index(day.group(1)))
            return Window(single, single, part, at)
        return Window(max(monday, today), max(monday + timedelta(days=4), today), part, at)
    days = []
    for piece in re.split(r"\beller\b|\bog\b|,", t):
        found = find_date(piece, today, "future")
        if found:
            days.append(found)
    if not days:
        return None
    return Window(min(days), max(days), part, at)
