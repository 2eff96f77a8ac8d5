"""A value corrected inside the message that gives it: "termin 12 november.. nej
vent, det er d. 2. november", "kl 15:30.. no wait 16 is better". The readers
of dates and times (bot/dates) read what comes after the last correction when
it says a date or a time again, and the whole message otherwise ("undskyld,
termin 3. maj" reads the same either way). Measured on a blind conversation
set: the first date was stored and the parent's own correction lost; and "kl
15:30.. no wait 16 is better, I have school" was read as out of scope, so the
Rasa server's NLU reads such a message as an answer (`inform`,
bot/rasa_server/explicit_requests.py). Standard library only."""

from __future__ import annotations

import re

# Said between a value and its correction, never a word of a date itself.
_CORRECTION = re.compile(
    r"(?:^|[\s,.!?;:-])(?:nej\s+vent|vent\s+nej|vent\s+lige|nej\s+undskyld|undskyld|nej\s+sorry|sorry|"
    r"rettelse|jeg\s+mener|jeg\s+mente|eller\s+rettere|nej\s+nej|no\s+wait|wait\s+no|i\s+mean|or\s+rather|"
    r"actually|correction)(?=[\s,.!:;-]|$)",
    re.IGNORECASE,
)
# Something a date or time reader could read: a digit or a month's name.
_SAYS_A_VALUE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)\w*\b|"
    r"\b(?:man|tirs|ons|tors|fre|lør|lor|loer|søn|son|soen)dag\b|\b(?:monday|tuesday|wednesday|thursday|friday)\b",
    re.IGNORECASE,
)


def after_correction(text: str) -> str:
    """The part of `text` after its last correction, if that part names a value; else `text`."""
    ends = [match.end() for match in _CORRECTION.finditer(text)]
    if not ends:
        return text
    rest = text[ends[-1] :].lstrip(" ,.:;!-")
    return rest if _SAYS_A_VALUE.search(rest) else text


# A time of day said before and after the correction: "kl 15:30.. no wait 16", "halv 3, nej 3".
_A_TIME = re.compile(r"\b(?:kl\.?\s*)?\d{1,2}(?:[.:]\d{2})?\b|\bhalv\s+\d{1,2}\b", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
# An answer read as nothing or as off the subject, which a value corrected in it overrides.
OVERRIDDEN = frozenset({"out_of_scope", "nlu_fallback"})


def corrects_a_value(text: str) -> bool:
    """A value given and corrected in the same message ("kl 15:30.. no wait 16 is better")."""
    rest = after_correction(text)
    if rest is text:
        return False
    before = text[: len(text) - len(rest)]
    return bool(_A_TIME.search(before) and _A_TIME.search(rest)) or (
        bool(_SAYS_A_VALUE.search(before)) and bool(_SAYS_A_VALUE.search(rest)) and len(_WORDS.findall(text)) <= 14
    )
