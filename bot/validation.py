"""Parsing and validating what parents type: names, e-mail, phone, codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.db.enrollments import REFERENCE_ALPHABET, REFERENCE_PREFIX

_NAME_PREFIX = re.compile(
    r"^(hej\W+)?(jeg hedder|jeg hed|mit navn er|navnet er|det er|hun hedder|han hedder|"
    r"min kæreste hedder|min kaereste hedder|min partner hedder|my name is|i am|i'm|jeg er)\s+",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d[\d \-.]{6,16}\d(?!\d)")
_REFERENCE = re.compile(r"\bFMH[\s\-]*([A-Z0-9]{5})\b", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.!]+$")


def clean_name(text: str) -> str | None:
    """A person's name from "jeg hedder mette hansen" -> "Mette Hansen"; None if it
    does not look like a name (digits, e-mail, too long, too many words)."""
    candidate = _TRAILING.sub("", _NAME_PREFIX.sub("", text.strip()))
    words = candidate.split()
    if not 1 <= len(words) <= 5 or len(candidate) > 80:
        return None
    if not all(_NAME_WORD.match(word) for word in words):
        return None
    if len(candidate.replace(" ", "")) < 2:
        return None
    if candidate == candidate.lower() or candidate == candidate.upper():
        candidate = " ".join(w[:1].upper() + w[1:].lower() for w in words)
    return candidate


def find_email(text: str) -> str | None:
    match = _EMAIL.search(text)
    return match.group(0).lower() if match else None


def find_danish_phone(text: str) -> str | None:
    """A Danish 8-digit number, optionally with +45/0045, as "+4512345678"."""
    without_email = _EMAIL.sub(" ", text)
    for match in _DIGIT_RUN.finditer(without_email):
        run = match.group(0)
        digits = re.sub(r"\D", "", run)
        if run.startswith("+"):
            digits = digits[2:] if digits.startswith("45") else ""
        elif len(digits) == 12 and digits.startswith("0045"):
            digits = digits[4:]
        if len(digits) == 8 and digits[0] != "0":
            return "+45" + digits
    return None


def format_phone(phone: str) -> str:
    digits = phone.removeprefix("+45")
    return " ".join(digits[i : i + 2] for i in range(0, 8, 2))


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None

    @property
    def is_empty(self) -> bool:
        return not (self.email or self.phone)

    def describe(self) -> str:
        parts = [p for p in (self.email, format_phone(self.phone) if self.phone else None) if p]
        return " og ".join(parts)


def parse_contact(text: str) -> Contact:
    return Contact(email=find_email(text), phone=find_danish_phone(text))


def normalise_reference(text: str) -> str | None:
    """'fmh 7k3q9' -> 'FMH-7K3Q9'; None when there is no valid code."""
    match = _REFERENCE.search(text)
    if not match:
        return None
    body = match.group(1).upper()
    if any(ch not in REFERENCE_ALPHABET for ch in body):
        return None
    return REFERENCE_PREFIX + body
