"""A whole answer that is a date (the enrollment form): bot/dates/answers.py."""

from datetime import date, timedelta

import pytest

from bot.dates import birth_date_from_age, due_date_from_pregnancy_week, format_danish_date, parse_danish_date
from bot.dates.words import MONTHS, WEEKDAYS, pick_year

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3. marts", date(2027, 3, 3)),
        ("termin er 11 marst", date(2027, 3, 11)),  # a month misspelt by one letter after its day
        ("3. apirl", date(2027, 4, 3)),
        ("d 4 sebtember", date(2027, 9, 4)),
        ("3 marts", date(2027, 3, 3)),
        ("den 3. marts", date(2027, 3, 3)),
        ("3/3", date(2027, 3, 3)),
        ("3.3.2027", date(2027, 3, 3)),
        ("d. 3.3.2027", date(2027, 3, 3)),
        ("d. 14/2", date(2027, 2, 14)),
        ("14-02-2027", date(2027, 2, 14)),
        ("15.01.27", date(2027, 1, 15)),
        ("12. maj 2027", date(2027, 5, 12)),
        ("vi har termin 12. maj", date(2027, 5, 12)),
        ("termin i april", date(2027, 4, 15)),
        ("i april 2027", date(2027, 4, 15)),
        ("maj", date(2027, 5, 15)),
        ("i morgen", date(2026, 11, 25)),
        ("i overmorgen", date(2026, 11, 26)),
        ("på fredag", date(2026, 11, 27)),
        ("paa fredag", date(2026, 11, 27)),
        ("mandag", date(2026, 11, 30)),
        ("om to uger", date(2026, 12, 8)),
        ("om 2 uger", date(2026, 12, 8)),
        ("uge 12", date(2027, 3, 22)),
        ("uge 49", date(2026, 11, 30)),
        ("uge 12 2027", date(2027, 3, 22)),
        ("2. jan", date(2027, 1, 2)),
        ("march 3", date(2027, 3, 3)),
    ],
)
def test_future_dates(text: str, expected: date) -> None:
    assert parse_danish_date(text, TODAY, "future") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3. marts", date(2026, 3, 3)),
        ("han blev født 2. januar", date(2026, 1, 2)),
        ("i går", date(2026, 11, 23)),
        ("i forgårs", date(2026, 11, 22)),
        ("for 3 dage siden", date(2026, 11, 21)),
        ("14/2", date(2026, 2, 14)),
        ("15.01.26", date(2026, 1, 15)),
    ],
)
def test_past_dates(text: str, expected: date) -> None:
    assert parse_danish_date(text, TODAY, "past") == expected


@pytest.mark.parametrize(
    "text",
    ["hej", "ja", "en", "12", "1/13", "31/4", "30. februar", "Mette Hansen", "mette@gmail.com", "12345678", "", "🙂"],
)
def test_not_a_date(text: str) -> None:
    assert parse_danish_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeg er 24 uger henne", date(2027, 3, 16)),
        ("vi er 30 uger gravid", date(2027, 2, 2)),
        ("gravid i uge 20", date(2027, 4, 13)),
    ],
)
def test_due_date_from_pregnancy_week(text: str, expected: date) -> None:
    assert due_date_from_pregnancy_week(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hun er 4 måneder", date(2026, 7, 24)),
        ("han er 4 maaneder", date(2026, 7, 24)),
        ("3 uger gammel", date(2026, 11, 3)),
        ("1 år", date(2025, 11, 24)),
    ],
)
def test_birth_date_from_age(text: str, expected: date) -> None:
    assert birth_date_from_age(text, TODAY) == expected


def test_format_danish_date() -> None:
    assert format_danish_date(date(2027, 1, 4)) == "4. januar 2027"


# The shared words (bot/dates/words.py): spellings the in-text parser knew first.


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("på fred", "future", date(2026, 11, 27)),  # a weekday abbreviation dateparser does not know
        ("imorgen", "future", date(2026, 11, 25)),  # the days around today written as one word
        ("idag", "future", TODAY),
        ("igår", "past", date(2026, 11, 23)),
        ("igaar", "past", date(2026, 11, 23)),
        ("i forgaars", "past", date(2026, 11, 22)),  # every ASCII spelling, not only a list of words
        ("iforgaars", "past", date(2026, 11, 22)),
    ],
)
def test_spellings_from_the_shared_words(text: str, direction: str, expected: date) -> None:
    assert parse_danish_date(text, TODAY, direction) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("word", sorted(WEEKDAYS))
def test_every_weekday_word(word: str) -> None:
    found = parse_danish_date(f"på {word}", TODAY)
    assert found is not None and found.weekday() == WEEKDAYS[word]


@pytest.mark.parametrize("word", sorted(MONTHS))
def test_every_month_word(word: str) -> None:
    assert parse_danish_date(f"3. {word}", TODAY) == date(2026 + (MONTHS[word] < 12), MONTHS[word], 3)


def _monday_of_week_53(year: int) -> date | None:
    try:
        return date.fromisocalendar(year, 53, 1)
    except ValueError:
        return None


def test_pick_year_takes_the_nearest_occurrence_in_the_direction() -> None:
    def third_of_march(year: int) -> date:
        return date(year, 3, 3)

    assert pick_year(third_of_march, TODAY, "future") == date(2027, 3, 3)
    assert pick_year(third_of_march, TODAY, "past") == date(2026, 3, 3)
    last_week = TODAY - timedelta(days=5)
    assert pick_year(lambda year: last_week.replace(year=year), TODAY, "future") == last_week.replace(year=2027)
    assert pick_year(lambda year: last_week.replace(year=year), TODAY, "future", timedelta(days=7)) == last_week
    # A year without the date (no week 53 in 2027) looks at the neighbouring years.
    assert pick_year(_monday_of_week_53, date(2027, 6, 1), "past") == date(2026, 12, 28)
    assert pick_year(_monday_of_week_53, date(2027, 6, 1), "future") is None


@pytest.mark.parametrize("text", ["21.04", "termin 21.04", "d. 21/4", "21-04"])
def test_a_day_and_month_with_a_dot_is_a_date_not_a_time_of_today(text: str) -> None:
    # dateparser alone read "21.04" as 21:04 today: a due date of today.
    assert parse_danish_date(text, TODAY, "future") == date(2027, 4, 21)
    assert parse_danish_date(text, TODAY, "past") == date(2026, 4, 21)
    assert parse_danish_date("31.04", TODAY) is None
