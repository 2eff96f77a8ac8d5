"""One-time pairing codes: staff issue one from the CLI, the young person
types it in the chat. Short enough to type on a phone, from an alphabet with
no look-alikes (0/O, 1/I/L); stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from bot.shared.danger import signals_danger

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_TYPED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{3})[\s\-–]?([A-Za-z0-9]{3})(?![A-Za-z0-9])")


def new_code() -> str:
    """Always with a digit, so a code is never mistaken for two short words
    ("jeg har"), and never with a half that is a danger phrase ("KMS-7Q9"):
    the danger layer reads every message, a typed code too."""
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(6))
        if any(char.isdigit() for char in raw) and not (signals_danger(raw[:3]) or signals_danger(raw[3:])):
            return f"{raw[:3]}-{raw[3:]}"


def code_hash(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def find_code(text: str) -> str | None:
    """A code as typed ("k7p-4qx", "K7P 4QX", "min kode er k7p4qx") -> "K7P-4QX"."""
    for match in _TYPED.finditer(text):
        candidate = (match.group(1) + match.group(2)).upper()
        if all(char in ALPHABET for char in candidate) and any(char.isdigit() for char in candidate):
            return f"{candidate[:3]}-{candidate[3:]}"
    return None
