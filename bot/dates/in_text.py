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
from bot.shared.corrections import after_correction

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
# After a correction of a time: the hour alone ("… nej vent, 16 er bedre"), in _TIME's groups 1 and 2.
_BARE_HOUR = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\b(?!\s*(?:min\w*|time\w*|dag\w*|uge\w*|år|aar|kr|%))")
_NEXT_WEEK = re.compile(r"\bnæste uge\b|\bi næste uge\b|\bnæste ugen?\b")
_THIS_WEEK = re.compile(r"\bi denne uge\b|\bdenne uge\b|\bi den her uge\b|\bi ugen\b")


def _on_day_and_month(month: int, day: int, today: date, direction: Direction) -> date | None:
    return pick_year(lambda year: valid_date(year, month, day), today, direction)


def find_date(text: str, today: date, direction: Direction = "future") -> date | None:
    """The first date the message names (after a correction in it, the corrected one);
    `direction` settles "mandag" and "3/2" without a year."""
    t = english_dates(normalise(after_correction(text)))
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
    """ "kl 14", "kl. 9.30", "14:30", "ved 13-tiden", "klokken to", "at 3pm" -> a time of day;
    None without one. A time corrected in the message is the corrected one, also as a bare hour
    ("kl 15.30.. nej vent, 16", "wait no make it 12"). An hour from 1 to 6 is in the afternoon
    (a meeting "klokken to" is at 14), unless the message says night or morning."""
    corrected = after_correction(text)
    said = normalise(corrected)
    found = _clock_time(said)
    if found is None and corrected is not text:
        bare = _MAKE_IT.search(said) or (_BARE_HOUR.search(said) if _TIME.search(normalise(text)) else None)
        found = _as_time(bare.group(1), bare.group(2)) if bare else _clock_time(normalise(text))
    if found is not None and 1 <= found.hour <= 6 and not _NIGHT_OR_MORNING.search(said):
        return time(found.hour + 12, found.minute)
    return found


def _as_time(hour: str | None, minute: str | None) -> time | None:
    h, m = int(hour or 0), int(minute or 0)
    return time(h, m) if h <= 23 and m <= 59 else None


def _clock_time(said: str) -> time | None:
    match = _TIME.search(said)
    if match:
        groups: list[str | None] = [*match.groups(), None, None, None, None][:6]
        return _as_time(groups[0] or groups[2] or groups[4], groups[1] or groups[3] or groups[5])
    english = _AT_HOUR.search(said)
    if english:
        found = _as_time(english.group(1), english.group(2))
        pm = english.group(3) in ("pm", "p.m.") and found is not None and found.hour < 12
        return time(found.hour + 12, found.minute) if pm and found else found
    return _spoken_or_dotted(said)


# "at 10", "at 3pm", "at 9:30 am": a time the English way.
_AT_HOUR = re.compile(r"\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|o'?clock)?(?![\d/.]|\s*(?:%|kr))")
# "make it 12", "gør det 13" after a correction: the new hour.
_MAKE_IT = re.compile(
    r"\b(?:make\s+it|make\s+that|gør\s+det(?:\s+til)?|gør\s+den|lad\s+os\s+sige)\s+(\d{1,2})(?:[.:](\d{2}))?\b"
)
# An early hour meant as such: "kl 5 om morgenen", "at 6 am", "02:30".
_NIGHT_OR_MORNING = re.compile(r"\b(?:nat|natten|morgen|morgenen|tidlig|am|a\.m\.)\b|\b0[1-6][:.]\d{2}\b")


# "15.30", "10.45", "16.00" without "kl": a time where the minutes can be no month
# ("14.06" may be a date, and stays unread); never a part of a longer number.
_DOTTED = re.compile(r"(?<![\d.,/])\b(\d{1,2})\.(\d{2})\b(?![.,/]?\d)(?!\s*(?:kr|dkk|euro|€|%|,-))")
# "halv 11" (10.30), "kvart over 2", "kvart i 3", with or without "kl".
_SPOKEN = re.compile(r"\b(?:kl\.?\s+|klokken\s+)?(halv|kvart\s+over|kvart\s+i)\s+(\d{1,2})\b(?!\s*(?:time|minut))")


def _spoken_or_dotted(text: str) -> time | None:
    spoken = _SPOKEN.search(text)
    if spoken:
        hour, said = int(spoken.group(2)), spoken.group(1)
        if 1 <= hour <= 24:
            if said == "halv":
                return time((hour - 1) % 24, 30)
            return time(hour % 24, 15) if said.endswith("over") else time((hour - 1) % 24, 45)
    for dotted in _DOTTED.finditer(text):
        hour, minute = int(dotted.group(1)), int(dotted.group(2))
        if hour <= 23 and minute <= 59 and (minute > 12 or minute == 0):
            return time(hour, minute)
    return None


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
    counted = _IN_N.search(t)
    if counted and counted.group(2).startswith("uge") and re.search(rf"\b({'|'.join(WEEKDAY_NAMES)})(?:en)?\b", t):
        that_day = find_date(t, today, "future")  # "om to uger, onsdag kl 15": that week's Wednesday, one day
        if that_day:
            return Window(that_day, that_day, part, at)
    days = []
    for piece in re.split(r"\beller\b|\bog\b|,", t):
        found = find_date(piece, today, "future")
        if found:
            days.append(found)
    if not days:
        return None
    return Window(min(days), max(days), part, at)
