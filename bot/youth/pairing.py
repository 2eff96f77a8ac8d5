"""One-time pairing codes: staff issue one from the CLI, the young person
types it in the chat. Short enough to type on a phone, from an alphabet with
no look-alikes (0/O, 1/I/L); stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.shared.danger import signals_danger
from bot.shared.pairing_code import ALPHABET, find_code

__all__ = ["ALPHABET", "code_hash", "find_code", "new_code"]


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
