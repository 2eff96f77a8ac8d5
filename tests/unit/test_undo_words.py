"""Taking back what was just saved, in so many words (bot/shared/undo_words.py),
and the day a receipt says back (bot/dates/formatting.py)."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.dates import format_danish_day
from bot.shared.undo_words import says_undo


@pytest.mark.parametrize(
    "text",
    ["fortryd", "Fortryd!", "fortryd det", "nej fortryd", "undo", "slet det igen", "fjern det igen", "tag det tilbage",
     "kan du fortryde det", "det skal slettes igen", "fortryd det sidste"],
)  # fmt: skip
def test_undo_in_so_many_words(text: str) -> None:
    assert says_undo(text)


@pytest.mark.parametrize(
    "text",
    [
        "stop",
        "slet mine data",
        "slet min samtale",
        "nej det er forkert",
        "fortryd ikke",
        "kan du fortryde mødet på fredag",
    ],
)
def test_other_words_are_no_undo(text: str) -> None:
    """A no, a wrong value or deleting one's data are read in context or by NLU, not here."""
    assert not says_undo(text)


def test_a_receipt_names_the_weekday_and_the_year_only_when_another() -> None:
    today = date(2027, 1, 12)
    assert format_danish_day(date(2027, 1, 11), today) == "mandag 11. januar"
    assert format_danish_day(date(2027, 1, 11), today, time(14)) == "mandag 11. januar kl. 14.00"
    assert format_danish_day(date(2026, 12, 29), today) == "tirsdag 29. december 2026"
