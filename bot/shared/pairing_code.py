"""What a typed pairing code looks like ("K7P-4QX", "k7p 4qx", "min kode er
k7p4qx"): shared by the application (bot/youth/pairing.py, which issues and
redeems them) and the Rasa server, whose NLU takes a message that is a code
and little else for `identify` (bot/rasa_server/explicit_requests.py). Standard
library only."""

from __future__ import annotations

import re

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I/L)
# Overlapping (a lookahead): in "hej R87-ESV her" both "hej R87" and "R87-ESV" are candidates.
_TYPED = re.compile(r"(?<![A-Za-z0-9])(?=([A-Za-z0-9]{3})([\s\-–]?)([A-Za-z0-9]{3})(?![A-Za-z0-9]))")
_WORD = re.compile(r"\w+")
# A message with a code and at most this many other words ("hej min kode er K7P-4QX") is the code,
# of which at most one may say something ("Sofie her, koden er K7P-4QX"): "MXP-5ZN er stoppet paa
# toemreruddannelsen" is a request that holds a code, and the request is what the young person wants.
WORDS_AROUND_A_CODE = 4
SAYING_WORDS_AROUND_A_CODE = 1
_FILLER = frozenset(
    [
        "hej",
        "hejsa",
        "hey",
        "hi",
        "hallo",
        "yo",
        "min",
        "mit",
        "kode",
        "koden",
        "code",
        "codes",
        "pairing",
        "parringskode",
        "er",
        "is",
        "my",
        "the",
        "det",
        "den",
        "her",
        "here",
        "it",
        "jeg",
        "har",
        "fået",
        "faaet",
        "faet",
        "got",
        "tak",
        "thanks",
        "ok",
        "okay",
        "så",
        "saa",
        "hedder",
        "og",
        "vist",
        "lige",
        "nu",
    ]
)


def _best(text: str) -> tuple[str, int, int] | None:
    """The likeliest code in the text and where it is: written with a dash
    before written together, before two words that happen to look like one
    ("hej R87" in "hej R87-ESV her")."""
    found = []
    for match in _TYPED.finditer(text):
        first, separator, second = match.groups()
        candidate = (first + second).upper()
        if all(char in ALPHABET for char in candidate) and any(char.isdigit() for char in candidate):
            rank = 0 if separator in ("-", "–") else 1 if not separator else 2
            end = match.start() + len(first) + len(separator) + len(second)
            found.append((rank, match.start(), end, f"{candidate[:3]}-{candidate[3:]}"))
    if not found:
        return None
    _, start, end, code = min(found)
    return code, start, end


def find_code(text: str) -> str | None:
    """A code as typed ("k7p-4qx", "K7P 4QX", "min kode er k7p4qx") -> "K7P-4QX"."""
    best = _best(text)
    return best[0] if best else None


def code_span(text: str) -> tuple[int, int] | None:
    """Where the likeliest code is in the text (start, end), or None."""
    best = _best(text)
    return (best[1], best[2]) if best else None


def only_a_code(text: str) -> bool:
    """A code with at most a few words around it ("koden er k7p-4qx"), not a
    request that also holds one ("K7P-4QX hvornår er mit næste møde")."""
    best = _best(text)
    if best is None:
        return False
    _, start, end = best
    around = _WORD.findall(text[:start] + " " + text[end:])
    saying = [word for word in around if word.lower() not in _FILLER]
    return len(around) <= WORDS_AROUND_A_CODE and len(saying) <= SAYING_WORDS_AROUND_A_CODE
