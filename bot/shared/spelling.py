"""One spelling for the ways a Danish word gets typed on a phone: "møde",
"moede" and "mode"; "få", "faa" and "fa"; "hejjj" and "hejj". For the
intent features only (bot/rasa_server/spelling.py); what a person wrote is
never changed anywhere else. Standard library only."""

from __future__ import annotations

import re

_LETTERS = str.maketrans({"æ": "a", "ø": "o", "å": "a", "ä": "a", "ö": "o"})
_DIGRAPHS = re.compile(r"ae|oe|aa")
_REPEATED = re.compile(r"(.)\1{2,}")


def fold(word: str) -> str:
    """Lower case; æ, ae, ä → a; ø, oe, ö → o; å, aa → a; a letter three or more times → twice."""
    lowered = word.lower()
    folded = _DIGRAPHS.sub(lambda pair: pair.group(0)[0], lowered).translate(_LETTERS)
    return _REPEATED.sub(r"\1\1", folded)
