"""An education stopped, told in the past tense ("stoppede i fredags", "er
stoppet på tømrer"), is no command to stop: measured on a blind set of whole
conversations, NLU read "stoppede i fredags" as `stop`, and the young person
telling when they had left their education was told that there was nothing
to stop. Over `stop` or nothing, read as `update_education` (inside the education form an answer,
outside it the start of one). Standard library only: the Rasa server's NLU
uses it (bot/rasa_server/explicit_requests.py)."""

from __future__ import annotations

import re

_PAST = re.compile(
    r"\b(?:stoppede|stoppet|stopet|stopede|droppede|droppet|hoppede\s+(?:fra|af)|hoppet\s+(?:fra|af)|sprang\s+fra|sprunget\s+fra|"
    r"gik\s+ud\s+af|smidt\s+ud|meldt\s+mig\s+ud|meldte\s+mig\s+ud|quit|dropped\s+out)\b",
    re.IGNORECASE,
)
_EDUCATION = re.compile(
    r"\b(?:uddannels\w*|skole\w*|hf|stx|hhx|htx|eux|eud|fgu|stu|gym\w*|studie\w*|linje\w*|praktik\w*|"
    r"lære\w*|laere\w*|læreplads\w*|\w+uddannelsen|job\w*|arbejde\w*|kursus\w*|school|college)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\b(?:i\s+går|igår|i\s+forgårs|i\s+(?:mandags|tirsdags|onsdags|torsdags|fredags|lørdags|søndags)|"
    r"sidste\s+uge|for\s+\w+\s+(?:dage|uger|måneder)\s+siden|d\.?\s*\d{1,2}|den\s+\d{1,2}|\d{1,2}/\d{1,2})",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# Also over nothing: "<code> er hoppet fra smedeuddannelsen" (a code and a stop told in one
# message) was read as nothing, and the stop was lost after the pairing.
# And over a thanks or a goodbye: "<code> er hoppet af hhx, det var for meget" was read as thanks.
OVERRIDDEN = frozenset({"stop", "nlu_fallback", "thank", "goodbye", "identify", "out_of_scope"})


def tells_a_stop(text: str) -> bool:
    """A past-tense stop that names an education, or says when in a few words."""
    if not _PAST.search(text):
        return False
    return bool(_EDUCATION.search(text)) or (bool(_WHEN.search(text)) and len(_WORD.findall(text)) <= 4)
