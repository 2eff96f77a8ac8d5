"""The Danish words for dates, once for the whole application: months,
weekdays, number words, parts of the day, the days around today, and the
ASCII spellings people type without æ, ø and å. Also the one rule for a day
and month written without a year.

Both parsers (bot/dates/answers.py, bot/dates/in_text.py) read these tables,
so a spelling taught here is understood everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, time, timedelta
from typing import Literal

from bot.dates.spoken import CARDINALS, spoken_numbers

Direction = Literal["future", "past"]

MONTH_NAMES = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
WEEKDAYS = {
    **{name: number for number, name in enumerate(WEEKDAY_NAMES)},
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
NUMBER_WORDS = {word: number for word, number in CARDINALS.items() if number <= 12} | {"halvanden": 1}
PARTS_OF_DAY = {
    "morgen": (time(8), time(10)),
    "formiddag": (time(9), time(12)),
    "middag": (time(11), time(13)),
    "eftermiddag": (time(12), time(16)),
    "aften": (time(17), time(20)),
}
# The days around today, also written as one word ("igår", "imorgen").
RELATIVE_DAYS = {
    "i forgårs": -2,
    "iforgårs": -2,
    "i går": -1,
    "igår": -1,
    # "å" left out on a phone: "i gar", "i forgars"
    "i forgars": -2,
    "iforgars": -2,
    "i gar": -1,
    "igar": -1,
    "i dag": 0,
    "idag": 0,
    "i aften": 0,
    # earlier today, told in the past ("havde møde i morges")
    "i morges": 0,
    "her til morgen": 0,
    "her i morges": 0,
    "i formiddags": 0,
    "her i formiddags": 0,
    "her i formiddag": 0,
    "i eftermiddags": 0,
    "her i eftermiddag": 0,
    "i aftes": -1,
    "i morgen": 1,
    "imorgen": 1,
    "i overmorgen": 2,
    "iovermorgen": 2,
}
# Misspellings that the æ/ø/å rule below would not mend ("toersdag" would become "tørsdag").
_MISSPELLINGS = {"toersdag": "torsdag"}
_ASCII = (("ae", "æ"), ("oe", "ø"), ("aa", "å"))
# English days, as young people mix them in ("cant make it to the meeting on
# tuesday", "can we do thursday at 2 instead"): read as the Danish words.
# Whole words only, and never the short forms ("fri" is Danish for a day off).
_ENGLISH_DAYS = {
    "monday": "mandag",
    "tuesday": "tirsdag",
    "wednesday": "onsdag",
    "thursday": "torsdag",
    "friday": "fredag",
    "saturday": "lørdag",
    "sunday": "søndag",
    "today": "i dag",
    "tonight": "i aften",
    "tomorrow": "i morgen",
    "yesterday": "i går",
    "this morning": "i morges",
    "next week": "næste uge",
}
# Also the possessive and the plural people type for it ("friday's session", "fridays one").
_ENGLISH_DAYS_RE = re.compile(rf"\b({'|'.join(_ENGLISH_DAYS)})(?:'s|’s|s)?\b")


def alternatives(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first ("december" before "dec")."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


RELATIVE_DAYS_RE = re.compile(rf"(?<!\w)({alternatives(RELATIVE_DAYS)})(?!\w)")


# A month name misspelt by one letter after a day ("11 marst", "3. apirl", "d 4 sebtember"):
# read as the month. Five letters or more, so that no short word becomes "maj" or "juni".
_DAY_THEN_WORD = re.compile(r"(?<![\w.])(\d{1,2}\.?\s*)([a-zæøå]{5,})\b")


def _one_edit(word: str, name: str) -> bool:
    """One letter added, dropped, changed, or two letters swapped."""
    if abs(len(word) - len(name)) > 1 or word == name:
        return False
    if len(word) == len(name):
        diff = [i for i, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == name[diff[1]]
        return len(diff) == 1 or (swapped and word[diff[1]] == name[diff[0]])
    short, long = sorted((word, name), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _month_spelt(match: re.Match[str]) -> str:
    word = match.group(2)
    if word in MONTHS:
        return match.group(0)
    month = next((name for name in MONTH_NAMES if len(name) >= 5 and _one_edit(word, name)), None)
    return match.group(1) + month if month else match.group(0)


def normalise(text: str) -> str:
    """Lower case, single spaces, Danish letters for their ASCII spellings ("paa", "naeste", "soendag"),
    Danish words for the English days ("tuesday") and digits for days and hours in words."""
    lowered = " ".join(text.lower().split())
    lowered = _ENGLISH_DAYS_RE.sub(lambda m: _ENGLISH_DAYS[m.group(1)], lowered)
    for wrong, right in _MISSPELLINGS.items():
        lowered = lowered.replace(wrong, right)
    for ascii_form, letter in _ASCII:
        lowered = lowered.replace(ascii_form, letter)
    lowered = _DAY_THEN_WORD.sub(_month_spelt, lowered)
    return spoken_numbers(lowered)  # "den fjortende december", "klokken to" (bot/dates/spoken.py)


def relative_day(text: str, today: date) -> date | None:
    """ "i går", "imorgen", "i overmorgen" in normalised text -> that day."""
    match = RELATIVE_DAYS_RE.search(text)
    return today + timedelta(days=RELATIVE_DAYS[match.group(1)]) if match else None


def valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def pick_year(
    candidate_for_year: Callable[[int], date | None],
    today: date,
    direction: Direction,
    grace: timedelta = timedelta(0),
) -> date | None:
    """A date written without a year ("3/2", "uge 12", "i april"): its next
    occurrence from today, or for `direction="past"` its latest one, among last
    year's, this year's and next year's. Within `grace` of today the date
    counts as both (a due date last week is still this year's)."""
    candidates = [found for found in (candidate_for_year(today.year + k) for k in (-1, 0, 1)) if found]
    if direction == "past":
        past = [found for found in candidates if found <= today + grace]
        return max(past) if past else None
    future = [found for found in candidates if found >= today - grace]
    return min(future) if future else None
