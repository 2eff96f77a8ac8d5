"""What a typed pairing code looks like ("K7P-4QX", "k7p 4qx", "min kode er
k7p4qx"): shared by the application (bot/youth/pairing.py, which issues and
redeems them) and the Rasa server, whose NLU takes a message that is a code
and little else for `identify` (bot/rasa_server/pairing_code.py). Standard
library only."""

from __future__ import annotations

import re

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I/L)
_TYPED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{3})[\s\-–]?([A-Za-z0-9]{3})(?![A-Za-z0-9])")
_WORD = re.compile(r"\w+")
# A message with a code and at most this many other words ("hej min kode er K7P-4QX") is the code.
WORDS_AROUND_A_CODE = 4


def find_code(text: str) -> str | None:
    """A code as typed ("k7p-4qx", "K7P 4QX", "min kode er k7p4qx") -> "K7P-4QX"."""
    for match in _TYPED.finditer(text):
        candidate = (match.group(1) + match.group(2)).upper()
        if all(char in ALPHABET for char in candidate) and any(char.isdigit() for char in candidate):
            return f"{candidate[:3]}-{candidate[3:]}"
    return None


def only_a_code(text: str) -> bool:
    """A code with at most a few words around it ("koden er k7p-4qx"), not a
    request that also holds one ("K7P-4QX hvornår er mit næste møde")."""
    for match in _TYPED.finditer(text):
        candidate = (match.group(1) + match.group(2)).upper()
        if all(char in ALPHABET for char in candidate) and any(char.isdigit() for char in candidate):
            rest = text[: match.start()] + " " + text[match.end() :]
            return len(_WORD.findall(rest)) <= WORDS_AROUND_A_CODE
    return False
