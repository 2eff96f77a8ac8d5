"""Danish dates as parents write them, parsed with dateparser.

dateparser does the real work (month names, numeric forms, weekdays, relative
phrases). This module only tidies the text first: ae/oe/aa spellings, number
words, filler words ("termin", "d.") and the two forms dateparser does not
know: ISO week numbers ("uge 12") and a bare month ("i april").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Literal

import dateparser
from dateutil.relativedelta import relativedelta

Direction = Literal["future", "past"]

_NUMBER_WORDS = {
    "en": 1,
    "et": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "halvanden": 1,
}
_ASCII_SPELLINGS = {
    "paa": "på",
    "gaar": "går",
    "maaned": "måned",
    "maaneder": "måneder",
    "aar": "år",
    "soendag": "søndag",
    "loerdag": "lørdag",
    "toersdag": "torsdag",
    "foedt": "født",
    "naeste": "næste",
    "januar.": "januar",
}
_MONTHS = {
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
_FILLER = re.compile(
    r"\b(vi|jeg|hun|han|har|er|termin|terminen|terminsdato|forventet|omkring|cirka|ca\.?|"
    r"blev|født|den|d\.|sidst|først|midt|ultimo|primo|medio|i|på|til)\b"
)
_WEEK = re.compile(r"\buge\s*(\d{1,2})(?:\D+(\d{4}))?")
_MONTH_ONLY = re.compile(r"^(?:i\s+)?([a-zæøå]+)\.?(?:\s+(\d{4}))?$")
_MONTH_PATTERN = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A date written out inside a longer sentence: "4. marts 2027", "3/3", "14-02-27".
_EXPLICIT_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s*(?:{_MONTH_PATTERN})[a-zæøå]*\.?(?:\s+\d{{4}})?\b"
    r"|\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b"
)
_DAYS_AFTER_TOMORROW = re.compile(r"\bi\s*overmorgen\b")
_DAY_BEFORE_YESTERDAY = re.compile(r"\bi\s*forgårs\b")


_DAY_PREFIX = re.compile(r"(?<!\w)d\.\s*")


def _normalise(text: str) -> str:
    text = _DAY_PREFIX.sub(" ", text.lower())
    words = text.strip().replace(",", " ").split()
    words = [_ASCII_SPELLINGS.get(w, w) for w in words]
    words = [str(_NUMBER_WORDS[w]) if w in _NUMBER_WORDS else w for w in words]
    return " ".join(words)


def _iso_week_monday(week: int, year: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def _pick_year(candidate_for_year: Callable[[int], date | None], today: date, direction: Direction) -> date | None:
    """Choose this year's or the neighbouring year's date in the wanted direction."""
    this_year = candidate_for_year(today.year)
    if this_year is None:
        return None
    if direction == "future" and this_year < today - timedelta(days=7):
        return candidate_for_year(today.year + 1)
    if direction == "past" and this_year > today + timedelta(days=7):
        return candidate_for_year(today.year - 1)
    return this_year


def parse_danish_date(text: str, today: date, direction: Direction = "future") -> date | None:
    """Parse one date from a Danish message; None when there is none."""
    cleaned = _normalise(text)
    cleaned = _DAYS_AFTER_TOMORROW.sub("om 2 dage", cleaned)
    cleaned = _DAY_BEFORE_YESTERDAY.sub("for 2 dage siden", cleaned)

    week = _WEEK.search(cleaned)
    if week:
        number = int(week.group(1))
        if week.group(2):
            return _iso_week_monday(number, int(week.group(2)))
        return _pick_year(lambda y: _iso_week_monday(number, y), today, direction)

    explicit = _EXPLICIT_DATE.search(cleaned)
    if explicit:
        return _dateparser(explicit.group(0), today, direction)

    relative = re.search(r"\b(i morgen|i dag|i går|om \d+ \w+|for \d+ \w+ siden)\b", cleaned)
    if relative:
        return _dateparser(relative.group(1), today, direction)

    stripped = _FILLER.sub(" ", cleaned)
    stripped = " ".join(stripped.split())
    month_only = _MONTH_ONLY.match(stripped)
    if month_only and month_only.group(1) in _MONTHS:
        month = _MONTHS[month_only.group(1)]
        if month_only.group(2):
            return date(int(month_only.group(2)), month, 15)
        return _pick_year(lambda y: date(y, month, 15), today, direction)

    return _dateparser(stripped, today, direction) or _dateparser(cleaned, today, direction)


_BARE_NUMBER = re.compile(r"^\d+$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-]\d{2,4})?$")


def _dateparser(text: str, today: date, direction: Direction) -> date | None:
    if not text or not re.search(r"\w", text) or _BARE_NUMBER.match(text):
        return None
    numeric = _NUMERIC_DATE.match(text)
    if numeric and not (1 <= int(numeric.group(1)) <= 31 and 1 <= int(numeric.group(2)) <= 12):
        return None  # day first in Denmark: "1/13" is not a date
    parsed = dateparser.parse(
        text,
        languages=["da", "en"],
        settings={
            "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
            "PREFER_DATES_FROM": direction,
            "DATE_ORDER": "DMY",
            "STRICT_PARSING": False,
            "REQUIRE_PARTS": [],
        },
    )
    if parsed is None:
        return None
    if parsed.year < today.year - 60:  # "15.01.27" is 2027, not 1927
        parsed = parsed.replace(year=parsed.year + 100)
    found: date = parsed.date()
    return found


_PREGNANCY_WEEK = re.compile(r"\b(\d{1,2})\s*\+?\s*\d?\s*(?:uger?\s+henne|uger?\s+gravid)|gravid\s+i\s+uge\s*(\d{1,2})")
_CHILD_AGE = re.compile(r"\b(\d{1,2})\s*(uger?|måneder?|mdr\.?|md\.?|år)\s*(gammel)?")


def due_date_from_pregnancy_week(text: str, today: date) -> date | None:
    """'jeg er 24 uger henne' -> the due date (week 40)."""
    match = _PREGNANCY_WEEK.search(_normalise(text))
    if not match:
        return None
    week = int(match.group(1) or match.group(2))
    if not 1 <= week <= 42:
        return None
    return today + timedelta(weeks=40 - week)


def birth_date_from_age(text: str, today: date) -> date | None:
    """'hun er 4 måneder' -> an approximate birth date."""
    match = _CHILD_AGE.search(_normalise(text))
    if not match:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    if unit.startswith("uge"):
        return today - timedelta(weeks=amount)
    if unit.startswith("m"):
        return today - relativedelta(months=amount)
    return today - relativedelta(years=amount)


_MONTH_NAMES = (
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


def format_danish_date(value: date) -> str:
    """date(2027, 1, 4) -> '4. januar 2027'."""
    return f"{value.day}. {_MONTH_NAMES[value.month - 1]} {value.year}"
