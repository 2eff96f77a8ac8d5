"""Dates written the English way ("May 3rd", "3rd of May", "March 20") turned
into the Danish way ("3. maj") before the Danish readers see them: parents
and young people who write in English (bot/dates/in_text.py, the
enrollment form's reader bot/forms/enrollment_extract.py). Standard library only."""

from __future__ import annotations

import re

_ENGLISH_MONTHS = {
    "january": "januar",
    "february": "februar",
    "march": "marts",
    "april": "april",
    "may": "maj",
    "june": "juni",
    "july": "juli",
    "august": "august",
    "september": "september",
    "october": "oktober",
    "november": "november",
    "december": "december",
}
_EN_MONTH = "|".join(_ENGLISH_MONTHS)
_EN_MONTH_DAY = re.compile(rf"\b(?P<month>{_EN_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b")
_EN_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>{_EN_MONTH})\b")
# "sept 1st", "oct. 3rd": a short month before a day written the English way (the suffix says so).
_SHORT_MONTHS = {
    "jan": "januar",
    "feb": "februar",
    "mar": "marts",
    "apr": "april",
    "jun": "juni",
    "jul": "juli",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "oktober",
    "nov": "november",
    "dec": "december",
}
_EN_SHORT_MONTH_DAY = re.compile(rf"\b(?P<month>{'|'.join(_SHORT_MONTHS)})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)\b")


def english_dates(said: str) -> str:
    """ "March 20", "May 15th", "20th of March" written the Danish way ("20. marts"):
    a month name only next to a day, so "you may store it" stays as it is."""
    said = _EN_SHORT_MONTH_DAY.sub(lambda m: f"{m.group('day')}. {_SHORT_MONTHS[m.group('month')]}", said)
    said = _EN_MONTH_DAY.sub(lambda m: f"{m.group('day')}. {_ENGLISH_MONTHS[m.group('month')]}", said)
    return _EN_DAY_MONTH.sub(lambda m: f"{m.group('day')}. {_ENGLISH_MONTHS[m.group('month')]}", said)
