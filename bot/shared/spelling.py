"""One spelling for the ways a Danish word gets typed on a phone: "møde",
"moede" and "mode"; "få", "faa" and "fa"; "hejjj" and "hejj"; and a word
mistyped by one letter read as the word the training data knows. For the
intent features only (bot/rasa_server/spelling.py); what a person wrote is
never changed anywhere else. Standard library only."""

from __future__ import annotations

import re
from collections.abc import Mapping

_LETTERS = str.maketrans({"æ": "a", "ø": "o", "å": "a", "ä": "a", "ö": "o"})
_DIGRAPHS = re.compile(r"ae|oe|aa")
_REPEATED = re.compile(r"(.)\1{2,}")


def fold(word: str) -> str:
    """Lower case; æ, ae, ä → a; ø, oe, ö → o; å, aa → a; a letter three or more times → twice."""
    lowered = word.lower()
    folded = _DIGRAPHS.sub(lambda pair: pair.group(0)[0], lowered).translate(_LETTERS)
    return _REPEATED.sub(r"\1\1", folded)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"  # folded: æ, ø and å are a and o already
# Shorter words are left as written: "mde" is as likely an abbreviation or a name as a typo.
SHORTEST_CORRECTED = 4


def one_edit_away(word: str) -> set[str]:
    """The words one typo from `word`: a letter left out, two swapped, one changed or one added."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    left_out = {head + tail[1:] for head, tail in splits if tail}
    swapped = {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    changed = {head + letter + tail[1:] for head, tail in splits if tail for letter in _ALPHABET}
    added = {head + letter + tail for head, tail in splits for letter in _ALPHABET}
    return (left_out | swapped | changed | added) - {word}


def nearest_known(word: str, known: Mapping[str, int]) -> str:
    """A folded word the training data never had, read as the most frequent
    known word one typo away ("modet" stays, "modte" becomes "modet"); a
    known, short or not purely alphabetic word, or one with no known word
    that near, stays as it is."""
    if word in known or len(word) < SHORTEST_CORRECTED or not word.isalpha():
        return word
    near = [candidate for candidate in one_edit_away(word) if candidate in known]
    return max(near, key=lambda candidate: (known[candidate], candidate)) if near else word
