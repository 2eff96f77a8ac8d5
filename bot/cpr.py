"""Danish CPR numbers (personal ID numbers) in chat text: find and mask them
before a message is stored anywhere.

A CPR number is DDMMYY-SSSS; people write it with a hyphen, a space, a dash
or nothing in between. Only the shape and a valid day and month are checked
(no modulus-11: numbers issued since 2007 need not pass it). Phone numbers
(8 digits), dates with times and reference codes do not have that shape.

Standard library only: the Rasa server (.venv/rasa) imports it too.
"""

from __future__ import annotations

import re

MASK = "[CPR-nummer fjernet]"

_CPR = re.compile(
    r"(?<![\d+])"  # not inside a longer number, not a +45 phone number
    r"(?:0[1-9]|[12]\d|3[01])"  # day
    r"(?:0[1-9]|1[0-2])"  # month
    r"\d{2}"  # year
    r"[ \-‐‑–—]?"  # hyphen, space, dashes or nothing
    r"\d{4}"  # serial number
    r"(?!\d)(?![:.,]\d)"  # not a longer number, a time (…12:30) or a decimal
)


def contains_cpr(text: str) -> bool:
    return bool(_CPR.search(text))


def mask_cpr(text: str) -> str:
    return _CPR.sub(MASK, text)
