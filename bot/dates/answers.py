"""A whole answer that is a date, as parents write it: "12. marts", "uge 34",
"i oktober", "om to uger", "jeg er 24 uger henne", "hun er 4 måneder".

dateparser does the real work (month names, numeric forms, weekdays, relative
phrases). This module only tidies the text first with the shared Danish words
(bot/dates/words.py): æ/ø/å spellings, number words, weekday abbreviations,
the days around today ("igår"), filler words ("termin", "d.") and the two
forms dateparser does not know: ISO week numbers ("uge 12") and a bare month
("i april").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser
from dateutil.relativedelta import relativedelta

from bot.dates.words import (
    MONTHS,
    NUMBER_WORDS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    Direction,
    alternatives,
    normalise,
    pick_year,
    relative_day,
)
from bot.shared.corrections import after_correction

# A month alone ("termin i marts") is read as its middle.
MONTH_ONLY_DAY = 15
# A due date a week ago is still this year's, not next year's.
_GRACE = timedelta(days=7)
_FILLER = re.compile(
    r"\b(vi|jeg|hun|han|har|er|termin|terminen|terminsdato|forventet|omkring|cirka|ca\.?|"
    r"blev|født|den|d\.|sidst|først|midt|ultimo|primo|medio|i|på|til)\b"
)
_WEEK = re.compile(r"\buge\s*(\d{1,2})(?:\D+(\d{4}))?")
_MONTH_ONLY = re.compile(r"^(?:i\s+)?([a-zæøå]+)\.?(?:\s+(\d{4}))?$")
# A date written out inside a longer sentence: "4. marts 2027", "3/3", "14-02-27".
_EXPLICIT_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s*(?:{alternatives(MONTHS)})[a-zæøå]*\.?(?:\s+\d{{4}})?\b"
    r"|\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b"
)
_RELATIVE = re.compile(r"\b(om \d+ \w+|for \d+ \w+ siden)\b")
_DAY_PREFIX = re.compile(r"(?<!\w)d\.\s*")


def _word(word: str) -> str:
    if word in NUMBER_WORDS:
        return str(NUMBER_WORDS[word])
    if word in WEEKDAYS:
        return WEEKDAY_NAMES[WEEKDAYS[word]]  # "fred" -> "fredag", which dateparser knows
    if word.endswith(".") and word[:-1] in MONTHS:
        return word[:-1]  # "januar." -> "januar"
    return word


def _normalise(text: str) -> str:
    text = _DAY_PREFIX.sub(" ", normalise(text))
    return " ".join(_word(w) for w in text.replace(",", " ").split())


def _iso_week_monday(week: int, year: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def parse_danish_date(text: str, today: date, direction: Direction = "future") -> date | None:
    """Parse one date from a Danish message (after a correction in it, the corrected one); None when there is none."""
    cleaned = _normalise(after_correction(text))

    week = _WEEK.search(cleaned)
    if week:
        number = int(week.group(1))
        if week.group(2):
            return _iso_week_monday(number, int(week.group(2)))
        return pick_year(lambda y: _iso_week_monday(number, y), today, direction, _GRACE)

    explicit = _EXPLICIT_DATE.search(cleaned)
    if explicit:
        return _dateparser(explicit.group(0), today, direction)

    around_today = relative_day(cleaned, today)
    if around_today:
        return around_today
    relative = _RELATIVE.search(cleaned)
    if relative:
        return _dateparser(relative.group(1), today, direction)

    stripped = _FILLER.sub(" ", cleaned)
    stripped = " ".join(stripped.split())
    month_only = _MONTH_ONLY.match(stripped)
    if month_only and month_only.group(1) in MONTHS:
        month = MONTHS[month_only.group(1)]
        if month_only.group(2):
            return date(int(month_only.group(2)), month, MONTH_ONLY_DAY)
        return pick_year(lambda y: date(y, month, MONTH_ONLY_DAY), today, direction, _GRACE)

    return _dateparser(stripped, today, direction) or _dateparser(cleaned, today, direction)


_BARE_NUMBER = re.compile(r"^\d+$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})([./-]\d{2,4})?$")


def _day_of(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # "29.02" in a year without it
        return None


def _dateparser(text: str, today: date, direction: Direction) -> date | None:
    if not text or not re.search(r"\w", text) or _BARE_NUMBER.match(text):
        return None
    numeric = _NUMERIC_DATE.match(text)
    if numeric and not (1 <= int(numeric.group(1)) <= 31 and 1 <= int(numeric.group(2)) <= 12):
        return None  # day first in Denmark: "1/13" is not a date
    if numeric and not numeric.group(3):
        # "21.04" is the 21st of April: dateparser read it as the time 21:04 today.
        day, month = int(numeric.group(1)), int(numeric.group(2))
        return pick_year(lambda year: _day_of(year, month, day), today, direction, _GRACE)
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
