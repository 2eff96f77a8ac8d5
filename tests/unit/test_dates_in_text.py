"""Dates, times and windows inside young people's messages: bot/dates/in_text.py."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.dates import Window, find_date, find_part_of_day, find_time, find_window, parse_danish_date
from bot.dates.words import MONTHS, WEEKDAYS

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("havde møde m. min mentor igår", "past", date(2026, 11, 24)),
        ("havde mode med min mentor i gar kl 14", "past", date(2026, 11, 24)),  # "å" left out
        ("var til samtale i går det gik fint", "past", date(2026, 11, 24)),
        ("i forgårs", "past", date(2026, 11, 23)),
        ("nej det var i tirsdags", "past", date(2026, 11, 24)),
        ("sidste fredag", "past", date(2026, 11, 20)),
        ("mødet i mandags", "past", date(2026, 11, 23)),
        ("mandag", "past", date(2026, 11, 23)),
        ("d. 3/2", "future", date(2027, 2, 3)),
        ("d. 3/2", "past", date(2026, 2, 3)),
        ("den 12.", "future", date(2026, 12, 12)),
        ("12. december", "future", date(2026, 12, 12)),
        ("kan vi rykke til torsdag kl 14", "future", date(2026, 11, 26)),
        ("på torsdag", "future", date(2026, 11, 26)),
        ("næste onsdag", "future", date(2026, 12, 2)),
        ("imorgen", "future", date(2026, 11, 26)),
        ("om to uger", "future", date(2026, 12, 9)),
        # The weeks and a weekday: that weekday of the week they land in.
        ("kan vi mødes om 2 uger, mandag eftermiddag?", "future", date(2026, 12, 7)),
        ("om tre uger fredag kl 9", "future", date(2026, 12, 18)),
        ("for 3 dage siden", "past", date(2026, 11, 22)),
        ("moedet paa fredag", "future", date(2026, 11, 27)),
        ("24.11.2026", "past", date(2026, 11, 24)),
        ("det gik fint", "past", None),
        ("4 ud af 5", "past", None),
    ],
)
def test_find_date(text: str, direction: str, expected: date | None) -> None:
    assert find_date(text, TODAY, direction) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kl 14", time(14)),
        ("kl. 9.30", time(9, 30)),
        ("torsdag 14:30", time(14, 30)),
        ("kl.10", time(10)),
        ("klokken 13", time(13)),
        ("den 3/2 ved 13-tiden", time(13)),
        ("omkring 9.30 tiden", time(9, 30)),
        ("i den tid", None),
        ("d. 3/2", None),
        ("4 ud af 5", None),
        ("kl 25", None),
    ],
)
def test_find_time(text: str, expected: time | None) -> None:
    assert find_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en gang i næste uge", Window(date(2026, 11, 30), date(2026, 12, 4))),
        ("næste uge om eftermiddagen", Window(date(2026, 11, 30), date(2026, 12, 4), "eftermiddag")),
        ("torsdag eller fredag eftermiddag", Window(date(2026, 11, 26), date(2026, 11, 27), "eftermiddag")),
        ("i morgen kl 10", Window(date(2026, 11, 26), date(2026, 11, 26), None, time(10))),
        ("fredag i den her uge", Window(date(2026, 11, 27), date(2026, 11, 27))),  # that day, not the rest of the week
        ("i denne uge", Window(date(2026, 11, 25), date(2026, 11, 27))),
        ("når som helst", None),
    ],
)
def test_find_window(text: str, expected: Window | None) -> None:
    assert find_window(text, TODAY) == expected


def test_in_two_weeks_with_a_weekday_after_a_comma_is_that_day() -> None:
    # Wednesday in two weeks: one day, not a span from today to then
    said = "vil gerne booke et mode om to uger, onsdag kl 15 hvis det kan lade sig gore"
    assert find_window(said, TODAY) == Window(date(2026, 12, 9), date(2026, 12, 9), None, time(15))


def test_a_numeric_date_in_a_window_is_one_day() -> None:
    assert find_window("d. 8/12 kl 10", TODAY) == Window(date(2026, 12, 8), date(2026, 12, 8), None, time(10))


# The shared words (bot/dates/words.py): spellings the enrollment form's parser knew first.


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("om fem dage", "future", date(2026, 11, 30)),  # every number word up to tolv
        ("kan vi ses om ti dage", "future", date(2026, 12, 5)),
        ("for seks dage siden", "past", date(2026, 11, 19)),
        ("paa toersdag", "future", date(2026, 11, 26)),  # a misspelling the æ/ø/å rule would not mend
        ("det var i toersdags", "past", date(2026, 11, 19)),
    ],
)
def test_spellings_from_the_shared_words(text: str, direction: str, expected: date) -> None:
    assert find_date(text, TODAY, direction) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("word", sorted(WEEKDAYS))
def test_every_weekday_word(word: str) -> None:
    found = find_date(f"på {word}", TODAY)
    assert found is not None and found.weekday() == WEEKDAYS[word]


@pytest.mark.parametrize("word", sorted(MONTHS))
def test_every_month_word(word: str) -> None:
    assert find_date(f"3. {word}", TODAY) == date(2026 + (MONTHS[word] < 12), MONTHS[word], 3)


def test_part_of_day() -> None:
    assert find_part_of_day("torsdag om eftermiddagen") == "eftermiddag"
    assert find_part_of_day("i morgen") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("monday 7th of december at 9:30", date(2026, 12, 7)),  # the date written wins over the weekday
        ("December 3rd", date(2026, 12, 3)),
        ("the 2nd of january please", date(2027, 1, 2)),
        ("you may come any day", None),  # "may" is a month only next to a day
    ],
)
def test_dates_written_the_english_way(text: str, expected: date | None) -> None:
    assert find_date(text, TODAY, "future") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("terminen er 20. oktober.. nej vent, den 10. oktober", date(2027, 10, 10)),
        ("d. 14/9, undskyld jeg mener 15/9", date(2027, 9, 15)),
        ("on the 3rd of july, sorry, I mean the 4th of july", date(2027, 7, 4)),
        ("undskyld, d. 12. august", date(2027, 8, 12)),  # nothing said before the correction
        ("d. 20. august, undskyld det sene svar", date(2027, 8, 20)),  # no date after it
    ],
)
def test_a_date_corrected_in_the_same_message_is_the_corrected_one(text: str, expected: date) -> None:
    assert find_date(text, date(2027, 6, 9)) == expected
    assert parse_danish_date(text, date(2027, 6, 9)) == expected


def test_a_time_corrected_in_the_same_message_is_the_corrected_one() -> None:
    assert find_time("kl 10, nej vent kl 11.30") == time(11, 30)
    assert find_time("kl 10, undskyld for stavefejl") == time(10, 0)
    assert find_time("kl 9.45.. no wait, 10 works better") == time(10, 0)  # the hour alone after it
    assert find_time("kl 13 undskyld, 3 uger senere") == time(13, 0)  # no time after it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kan det blive senere samme dag? fx 15.30", time(15, 30)),
        ("16.00 passer fint", time(16, 0)),
        ("omkring halv 11 tror jeg", time(10, 30)),
        ("kvart over 2", time(14, 15)),  # a meeting's early hour is in the afternoon
        ("kl kvart i 9", time(8, 45)),
        ("14.06", None),  # may be a date
        ("ring på 22.47.91.06", None),
        ("d. 15.10.2027", None),
        ("det koster 10.50 kr", None),
        ("halv 2 timer", None),
    ],
)
def test_times_written_without_kl(text: str, expected: time | None) -> None:
    assert find_time(text) == expected
