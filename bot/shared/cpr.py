"""Danish CPR numbers (personal ID numbers) in chat text: find and mask them
before a message is stored anywhere.

A CPR number is a birth date (DDMMYY) and a 4-digit serial. People write it
in many ways: `010203-1234`, `0102031234`, `01.02.03-1234`, `01 02 03 1234`,
`01/02/2003 - 1234`, `010203/1234`, with a no-break space, a Unicode minus or
dash, full-width digits from a phone keyboard, a zero-width character or a
soft hyphen inside. So the text is normalised first, one character at a
time (Unicode NFKC, every dash and minus to `-`, every space to ` `, every
invisible character dropped), the numbers are found in the normalised text,
and the places found are masked in the original text.

What counts: a valid day and month, a separator or none between day, month
and year (not always the same one: "0102 03 1234"), a 2- or 4-digit year (a 4-digit one not in the
future), and then the serial after at most one separator. What does not:
phone numbers (8 digits, or 10 with an impossible day like 45 from +45),
dates with times (a colon in the "serial"; "12.03.2026 1430", a date this
year or last with a clock time after a space), case numbers (2023-004512: the
day would be 20 and the month 23), amounts, postcodes, 10-digit numbers with an impossible
day or month. No modulus-11: numbers issued since 2007 need not pass it.

Standard library only: the Rasa server (.venv/rasa) imports it too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from bot.shared.clock import danish_today

MASK = "[CPR-nummer fjernet]"

_DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
# Minus signs and dash look-alikes that are not in Unicode's dash category (Pd)
_DASHES = "\u2212\u2796\u02d7\u2043\u207b\u208b\uff0d\ufe63"
# Characters that look blank but are not spaces to str.isspace()
_BLANKS = "\u2800\u3164\uffa0\u115f\u1160"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"

_CPR = re.compile(
    r"(?<![\d+])"  # not inside a longer number, not a +45 phone number
    r"(?P<day>0[1-9]|[12]\d|3[01])"
    r"(?P<sep1>(?:[./-] ?| )?)"  # "01.02.03", "01. 02. 03", "01 02 03", "010203"
    r"(?P<month>0[1-9]|1[0-2])"
    r"(?P<sep2>(?:[./-] ?| )?)"  # the separators may differ: "0102 03", "01.02 03", "01/02-03"
    r"(?P<year>(?:19|20)\d{2}|\d{2})"
    r"(?P<gap> ?[-./]? ?)"  # before the serial: nothing, or a separator with spaces around
    r"(?P<serial>\d{4})"
    r"(?!\d)(?![:.,]\d)"  # not a longer number, a time (…12:30) or a decimal
)


def _normalised(text: str) -> tuple[str, list[int]]:
    """The text to search, and for each of its characters the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _INVISIBLE or unicodedata.category(char) == "Cf":
            continue
        # NFKC first (full-width digits; a superscript minus or a vertical dash
        # becomes a dash), then every dash and minus of any kind is "-".
        for part in unicodedata.normalize("NFKC", char):
            if part in _DASHES or unicodedata.category(part) == "Pd":
                part = "-"
            elif part.isspace() or part in _BLANKS:
                if out and out[-1] == " ":
                    continue  # a run of spaces is one ("010203 -  1234")
                part = " "
            out.append(part)
            origin.append(index)
    return "".join(out), origin


def _is_clock_time(digits: str) -> bool:
    return int(digits[:2]) < 24 and int(digits[2:]) < 60


def _spans(text: str) -> list[tuple[int, int]]:
    """Where in the original text the CPR numbers are (start, end)."""
    normal, origin = _normalised(text)
    found = []
    this_year = danish_today().year
    for match in _CPR.finditer(normal):
        year, day, month = match.group("year"), int(match.group("day")), int(match.group("month"))
        if len(year) == 4 and int(year) > this_year:
            continue  # a 4-digit year in the future is a date (a due date), not a birth date
        if day > _DAYS_IN_MONTH[month]:
            continue  # 31 February is no one's birthday
        if (
            len(year) == 4
            and int(year) >= this_year - 1
            and match.group("gap") == " "
            and _is_clock_time(match.group("serial"))
        ):
            continue  # "12.03.2026 1430": a date this year or last and a time, not a newborn's number
        if not match.group("sep1") and match.group("sep2").strip():
            continue  # "2012-031234" is a case number (year, then a number), not "20 12 03 1234"
        found.append((origin[match.start()], origin[match.end() - 1] + 1))
    return found


def contains_cpr(text: str) -> bool:
    return bool(_spans(text))


def mask_cpr(text: str) -> str:
    spans = _spans(text)
    for start, end in reversed(spans):
        text = text[:start] + MASK + text[end:]
    return text


def mask_payload(text: str) -> str:
    """A typed `/intent{…}`: its entity values may hide a CPR number in JSON
    escapes ("\\u0030\\u0031…"); decoded, masked and written back, unescaped."""
    masked = mask_cpr(text)
    start = masked.find("{")
    if not masked.lstrip().startswith("/") or start < 0:
        return masked
    try:
        entities = json.loads(masked[start:])
    except ValueError:
        return masked
    cleaned = mask_values(entities)
    return masked if cleaned == entities else masked[:start] + json.dumps(cleaned, ensure_ascii=False)


def mask_values(value: Any) -> Any:
    """Every string inside (dict keys and values, lists) masked."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, dict):
        return {mask_values(k) if isinstance(k, str) else k: mask_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_values(item) for item in value]
    return value


def mask_log_records() -> None:
    """Every log record of this process has its CPR numbers masked when it is
    made, whichever library logs it and at whatever level: a last line of
    defence for the places that log a message's text (Rasa's debug logs, an
    exception that quotes its input)."""
    import logging

    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "masks_cpr", False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a record whose arguments do not fit its format
            return record
        masked = mask_cpr(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return record

    masking_factory.masks_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)
