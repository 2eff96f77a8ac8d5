"""Days and hours written in words, as dictation and some writers give them:
"den fjortende december", "mandag den tyvende", "klokken to", "kl halv tre",
"thursday the 23rd", "sept 1st". Turned into the digits the readers know
("den 14. december", "klokken 2") before they read (bot/dates/in_text.py,
answers.py, the enrollment form's reader). Measured on a blind conversation
set: "vi har termin den fjortende december" was stored as the middle of
December, "hun blev født den syvende juli" was not understood, "på fredag
klokken to" booked a day without its time. Standard library only."""

from __future__ import annotations

import re

ORDINAL_DAYS = {
    "første": 1,
    "anden": 2,
    "tredje": 3,
    "fjerde": 4,
    "femte": 5,
    "sjette": 6,
    "syvende": 7,
    "ottende": 8,
    "niende": 9,
    "tiende": 10,
    "ellevte": 11,
    "tolvte": 12,
    "trettende": 13,
    "fjortende": 14,
    "femtende": 15,
    "sekstende": 16,
    "syttende": 17,
    "attende": 18,
    "nittende": 19,
    "tyvende": 20,
    "enogtyvende": 21,
    "toogtyvende": 22,
    "treogtyvende": 23,
    "fireogtyvende": 24,
    "femogtyvende": 25,
    "seksogtyvende": 26,
    "syvogtyvende": 27,
    "otteogtyvende": 28,
    "niogtyvende": 29,
    "tredivte": 30,
    "enogtredivte": 31,
}
# Numbers in words, one to twenty (the hours of a day and the counts bot/dates/words.py reads).
CARDINALS = {
    "en": 1,
    "et": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "tretten": 13,
    "fjorten": 14,
    "femten": 15,
    "seksten": 16,
    "sytten": 17,
    "atten": 18,
    "nitten": 19,
    "tyve": 20,
}
_MONTH_START = r"(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec|may|oct)\w*"  # a month's name, Danish or English
_ORDINAL = "|".join(sorted(ORDINAL_DAYS, key=len, reverse=True))
# With a month after it, any ordinal is a day ("fjortende december"); after "den" alone only
# from the fifth on: "den første", "den anden" are also a meeting's place in a list.
_ORDINAL_WITH_MONTH = re.compile(rf"\b(?:den\s+|d\.\s*)?({_ORDINAL})(?=\s+{_MONTH_START}\b)")
_ORDINAL_AFTER_DEN = re.compile(rf"\b(den|d\.)\s+({_ORDINAL})\b")
# "the 23rd", "on the 5th": a day of the month in English.
_ENGLISH_ORDINAL = re.compile(rf"\bthe\s+(\d{{1,2}})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?{_MONTH_START}\b)")
# "klokken to", "kl. halv tre", "klokn 15" (a typo of klokken), "at ten".
_CLOCK = re.compile(r"\b(?:klokken|klokn|kloken|klokke|klok)\b")
_HOUR_WORD = "|".join(sorted(CARDINALS, key=len, reverse=True))
_SPOKEN_HOUR = re.compile(rf"\b(kl\.?|klokken|halv|kvart\s+over|kvart\s+i)\s+({_HOUR_WORD})\b")


def spoken_numbers(text: str) -> str:
    """`text` (lower case) with days and hours in words written in digits."""
    said = _CLOCK.sub("klokken", text)
    said = _ORDINAL_WITH_MONTH.sub(lambda m: f"{ORDINAL_DAYS[m.group(1)]}.", said)
    said = _ORDINAL_AFTER_DEN.sub(
        lambda m: f"{m.group(1)} {ORDINAL_DAYS[m.group(2)]}." if ORDINAL_DAYS[m.group(2)] >= 5 else m.group(0), said
    )
    said = _ENGLISH_ORDINAL.sub(lambda m: f"d. {m.group(1)}.", said)
    return _SPOKEN_HOUR.sub(lambda m: f"{m.group(1)} {CARDINALS[m.group(2)]}", said)
