"""Phone numbers as the gateway writes them (digits with the country code,
4512345678), and the conversation id made from one: "sms-" and an HMAC of
the number, so that no log, transcript or URL shows the number itself."""

from __future__ import annotations

import hashlib
import hmac
import re

DENMARK = "45"


def normalize(text: str) -> str | None:
    """Digits with the country code; a Danish 8-digit number gets 45. None for what is not a number."""
    raw = re.sub(r"[\s().-]", "", str(text))
    if raw.startswith("+"):
        raw = raw[1:]
    elif raw.startswith("00"):
        raw = raw[2:]
    if not raw.isdigit():
        return None
    if len(raw) == 8:
        raw = DENMARK + raw
    return raw if 10 <= len(raw) <= 15 else None


def conversation_id_for(msisdn: str, key: str) -> str:
    digest = hmac.new(key.encode(), f"sms-number:{msisdn}".encode(), hashlib.sha256).hexdigest()
    return f"sms-{digest[:32]}"


def shown(msisdn: str) -> str:
    """For staff and the CLI: +45 12 34 56 78."""
    if msisdn.startswith(DENMARK) and len(msisdn) == 10:
        local = msisdn[2:]
        return "+45 " + " ".join(local[i : i + 2] for i in range(0, 8, 2))
    return f"+{msisdn}"


# The first two digits of Danish mobile numbers (the numbering plan's mobile series).
MOBILE_PREFIXES = frozenset(
    [str(n) for n in range(20, 30)]
    + ["30", "31", "40", "41", "42", "50", "51", "52", "53"]
    + ["60", "61", "71", "81", "91", "92", "93"]
)


def danish_mobile(text: str) -> str | None:
    """A Danish mobile number as the gateway writes it (45 and 8 digits), or None.

    Accepts "20 00 00 01", "+45 20 00 00 01", "0045 20000001"; refuses landlines,
    foreign numbers and anything that is not a number."""
    msisdn = normalize(text)
    if msisdn is None or len(msisdn) != 10 or not msisdn.startswith(DENMARK):
        return None
    return msisdn if msisdn[2:4] in MOBILE_PREFIXES else None


def masked(msisdn: str) -> str:
    """For staff pages: only the last four digits, +45 •• •• 56 78."""
    prefix = "+45 •• ••" if msisdn.startswith(DENMARK) and len(msisdn) == 10 else "••••"
    return f"{prefix} {msisdn[-4:-2]} {msisdn[-2:]}"
