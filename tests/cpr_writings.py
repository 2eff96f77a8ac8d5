"""Generated CPR numbers in every way people write them, and numbers that only
look like one: the masking's test set (tests/unit/test_cpr.py) and its
measurement (`make bench`). Deterministic: the same set on every run."""

from __future__ import annotations

import json
import random

from bot.shared.clock import danish_today

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# How the ten digits are written: d, m, y (2 digits), Y (4 digits), s (serial).
WRITINGS = [
    "{d}{m}{y}-{s}",
    "{d}{m}{y}{s}",
    "{d}{m}{y} {s}",
    "{d}{m}{y}\u2013{s}",
    "{d}{m}{y}\u2014{s}",
    "{d}{m}{y}\u2212{s}",
    "{d}{m}{y}\u2011{s}",
    "{d}.{m}.{y}-{s}",
    "{d}.{m}.{Y}-{s}",
    "{d}/{m}/{y}-{s}",
    "{d}/{m}/{Y} {s}",
    "{d} {m} {y} {s}",
    "{d}-{m}-{y}-{s}",
    "{d}{m}{y} - {s}",
    "{d}{m}{y}- {s}",
    "{d}{m}{y} -{s}",
    "{d}{m}{y}/{s}",
    "{d}{m}{y}.{s}",
    "{d}{m}{y}\u00a0{s}",
    "{d}{m}{y}\u202f-\u202f{s}",
    "{d}{m}\u200b{y}-{s}",
    "{d}{m}{y}\u00ad{s}",
    "{d}{m}{y}\u2060{s}",
    "{d}{m}{Y}{s}",
    "{d}{m}{Y}-{s}",
    # dashes outside the usual list (heavy minus, superscript minus, a vertical dash that NFKC makes an em
    # dash), dots with spaces, a run of spaces, a braille blank
    "{d}{m}{y}\u2796{s}",
    "{d}{m}{y}\u207b{s}",
    "{d}{m}{y}\ufe31{s}",
    "{d}. {m}. {y}-{s}",
    "{d}{m}{y} -  {s}",
    "{d}{m}{y}\u2800{s}",
    # separators that differ between day, month and year
    "{d}{m} {y} {s}",
    "{d}{m} {y}-{s}",
    "{d}.{m} {y}-{s}",
    "{d} {m}{y}-{s}",
    "{d}/{m}-{y} {s}",
]
SENTENCES = [
    "{x}",
    "mit cpr er {x}",
    "cpr: {x}.",
    "min søn har cpr {x} og er syg",
    "CPR-nr.{x}",
    "her er mit personnummer {x} 🙂",
    "{x} er min datters",
    "cpr {x}, hvad nu?",
]

LOOK_ALIKES_FIXED = [
    "ring på 22 33 44 55",
    "mit nummer er 22334455",
    "+45 22 33 44 55",
    "+4522334455",
    "0045 22334455",
    "(+45) 2233 4455",
    "22-33-44-55",
    "+45 22-33-44-55",
    "tlf. 2233 4455",
    "+45 70 10 20 30",
    "termin 01.02.2027 kl. 12:30",
    "vi ses 12-03-2027 14:30",
    "født 2024-11-03 kl 04:12",
    "mødet er 3/4 kl 10.30",
    "d. 12.03.2026 kl 14.00",
    "FMH-4T8PZ",
    "FMH-7K3Q9X",
    "sagsnummer 2023-004512",
    "sag 24-123456",
    "sag 2012-031234",
    "journalnr. 27.03.02-A00-1234-23",
    "beløbet er 1.234,50 kr",
    "kr. 2.500,00",
    "12.345 kr om måneden",
    "postnr 8000 Aarhus C",
    "2100 København Ø",
    "ordre 12345678901",
    "ordrenr. 98765432",
    "uge 12 2027",
    "uge 5",
    "kl 1030 på torsdag",
    "hun blev født 010203",
    "kontonr 1234 5678901234",
    "K3M-9TQ",
]


def cpr_numbers(count_dates: int = 48, seed: int = 7) -> list[str]:
    """At least 1,000 messages, each with one CPR number."""
    rng = random.Random(seed)
    messages = []
    for n in range(count_dates):
        year = rng.randint(1940, 2024)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        serial = f"{rng.randint(0, 9999):04d}"
        parts = {"d": f"{day:02d}", "m": f"{month:02d}", "y": f"{year % 100:02d}", "Y": str(year), "s": serial}
        for k, writing in enumerate(WRITINGS):
            number = writing.format(**parts)
            if (n + k) % 7 == 0:
                number = number.translate(FULL_WIDTH)  # a phone keyboard's full-width digits
            messages.append(SENTENCES[(n + k) % len(SENTENCES)].format(x=number))
    return messages


def look_alikes(seed: int = 11) -> list[str]:
    """At least 300 messages with numbers that are not CPR numbers."""
    rng = random.Random(seed)
    year = danish_today().year
    # a date near now and a clock time after a space
    found = [*LOOK_ALIKES_FIXED, f"12.03.{year} 1430", f"mødet 02.01.{year + 1} 0915", f"d. 30.11.{year - 1} 2359"]
    for _ in range(60):
        phone = f"{rng.randint(20, 99)}{rng.randint(0, 999999):06d}"
        found += [
            f"ring til {phone[:2]} {phone[2:4]} {phone[4:6]} {phone[6:]}",
            f"+45 {phone}",
            f"mit nr er {phone[:4]} {phone[4:]}",
        ]
    for _ in range(40):
        day, month = rng.randint(32, 99), rng.randint(1, 12)
        found.append(f"nummer {day:02d}{month:02d}{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}")  # no such day
        found.append(
            f"nummer {rng.randint(1, 28):02d}{rng.randint(13, 99):02d}{rng.randint(0, 99):02d}"
            f"{rng.randint(0, 9999):04d}"
        )  # no such month
    for _ in range(30):
        found.append(
            f"termin d. {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2027 kl. "
            f"{rng.randint(7, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"
        )
        found.append(f"sag {rng.randint(2019, 2026)}-{rng.randint(0, 999999):06d}")
    found += [
        f"3{rng.choice('01')}02{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d} er ikke en dato" for _ in range(20)
    ]  # the 30th and 31st of February
    return found


def typed_payloads(count_dates: int = 6, seed: int = 13) -> list[str]:
    """Typed `/intent{…}` messages whose entity values carry a CPR number, written
    out, JSON-escaped digit by digit, in a list and in a nested object."""
    numbers = cpr_numbers(count_dates=count_dates, seed=seed)
    found = []
    for n, text in enumerate(numbers):
        # digits as \u0030…, everything else as JSON writes it (an emoji as a surrogate pair)
        value = "".join(f"\\u{ord(c):04x}" if c in "0123456789" else json.dumps(c)[1:-1] for c in text)
        shape = ['{{"contact": "{v}"}}', '{{"note": ["hej", "{v}"]}}', '{{"a": {{"b": "{v}"}}}}'][n % 3]
        found.append(f"/{['inform', 'give_contact', 'log_meeting'][n % 3]}" + shape.format(v=value))
    return found
