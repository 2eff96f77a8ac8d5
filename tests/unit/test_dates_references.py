"""Which meeting a message means and the new time it gives (bot/dates/references.py)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from bot.dates import Window
from bot.dates.in_text import find_window
from bot.dates.references import (
    nearest_to_meeting,
    new_time_on,
    position_in_list,
    read_meeting_reference,
    split_at_new_time,
    within_span,
)

TODAY = date(2027, 1, 12)  # a Tuesday
FRIDAY, THURSDAY = date(2027, 1, 15), date(2027, 1, 14)


def test_moving_the_listed_meeting_to_thursday_is_the_new_time_not_the_meeting() -> None:
    reference = read_meeting_reference("kan vi rykke det til torsdag kl 14", TODAY)
    assert (reference.on, reference.position) == (None, None)  # the meeting shown, or the next
    assert reference.new_time == Window(THURSDAY, THURSDAY, None, time(14, 0))


def test_the_first_of_the_list_moved_to_thursday() -> None:
    reference = read_meeting_reference("kan vi rykke det første til torsdag kl 14", TODAY)
    assert (reference.on, reference.position) == (None, 0)
    assert reference.new_time == Window(THURSDAY, THURSDAY, None, time(14, 0))


def test_cancelling_the_one_on_friday() -> None:
    reference = read_meeting_reference("aflys det på fredag", TODAY, moving=False)
    assert (reference.on, reference.position, reference.new_time) == (FRIDAY, None, None)


def test_the_meeting_on_a_day_moved_to_another_day_and_time() -> None:
    reference = read_meeting_reference("mødet på fredag passer ikke, kan det blive onsdag d. 20 kl 14 i stedet", TODAY)
    assert reference.on == FRIDAY
    assert reference.new_time == Window(date(2027, 1, 20), date(2027, 1, 20), None, time(14, 0))


def test_only_a_new_clock_time_on_the_same_day() -> None:
    text = "den på fredag, kan den flyttes til kl 16 samme dag"
    reference = read_meeting_reference(text, TODAY)
    assert (reference.on, reference.new_time, reference.same_day) == (FRIDAY, None, True)
    assert new_time_on(FRIDAY, text) == Window(FRIDAY, FRIDAY, None, time(16, 0))


def test_asking_to_move_a_meeting_on_a_day_gives_no_new_time() -> None:
    reference = read_meeting_reference("kan vi rykke mødet på fredag", TODAY)
    assert (reference.on, reference.new_time) == (FRIDAY, None)


@pytest.mark.parametrize(
    "text",
    ["jeg kan ikke komme til mødet på fredag", "kan ik komme til det, er syg 🤒 aflys det plz", "aflys mødet"],
)
def test_til_before_the_meeting_itself_is_not_a_new_time(text: str) -> None:
    assert split_at_new_time(text)[1] == ""


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("det første", 0),
        ("kan vi rykke den anden", 1),
        ("aflys det sidste møde", -1),
        ("flyt mødet nr 2", 1),
        ("det andet møde", 1),
        ("kan vi rykke det", None),
    ],
)
def test_a_place_in_the_list(text: str, position: int | None) -> None:
    assert position_in_list(text) == position


def test_a_day_of_the_month_with_a_weekday_and_a_clock_time() -> None:
    from bot.dates import find_date

    assert find_date("onsdag d. 20 kl 14", TODAY) == date(2027, 1, 20)
    assert find_date("d. 20 eller d. 21", TODAY) == date(2027, 1, 20)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("mandag d 25 kl 13", date(2027, 1, 25)),  # the day of the month, not the Monday to come
        ("aflys lige mødet d 19, jeg skal på arbejde", date(2027, 1, 19)),
        ("kan vi tage det fredag d 22 i stedet kl 10", date(2027, 1, 22)),
        ("onsdag d. 20 samme tid", date(2027, 1, 20)),
        ("mødet d 19 flyttes", date(2027, 1, 19)),
        ("d 5", date(2027, 2, 5)),  # gone this month: next month's
        ("den 20 minutter", None),  # a count, not a day
        ("den 3 uger gamle", None),
    ],
)
def test_a_day_of_the_month_as_young_people_write_it(text: str, day: date | None) -> None:
    from bot.dates import find_date

    assert find_date(text, TODAY) == day


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("cant make it to the meeting on friday, can u cancel it", FRIDAY),
        ("can you cancel thursday's meeting", THURSDAY),
        ("cancel the one tomorrow", date(2027, 1, 13)),
    ],
)
def test_english_days_name_the_meeting(text: str, on: date) -> None:
    assert read_meeting_reference(text, TODAY, moving=False).on == on


def test_english_days_move_it() -> None:
    reference = read_meeting_reference("can we move the one on friday to thursday kl 14", TODAY)
    assert reference.on == FRIDAY
    assert reference.new_time == Window(THURSDAY, THURSDAY, None, time(14, 0))


def test_the_danish_day_off_is_no_friday() -> None:
    assert read_meeting_reference("jeg har fri på mandag", TODAY, moving=False).on == date(2027, 1, 18)
    assert read_meeting_reference("jeg har fri", TODAY, moving=False).on is None


@pytest.mark.parametrize(
    ("text", "meeting_day", "moved_to"),
    [
        ("kan mødet på tirsdag rykkes til onsdag?", date(2027, 1, 19), date(2027, 1, 20)),  # the day after
        ("nej vent torsdag mener jeg, samme tid som nu", date(2027, 1, 19), date(2027, 1, 21)),
        ("kan den på fredag rykkes til torsdag", FRIDAY, THURSDAY),  # the day before
        ("kan mødet på tirsdag rykkes til onsdag d. 13", date(2027, 1, 19), date(2027, 1, 13)),  # as written
        ("kan mødet på tirsdag rykkes til onsdag i næste uge", FRIDAY, date(2027, 1, 20)),
    ],
)
def test_a_weekday_alone_is_the_one_nearest_the_meeting(text: str, meeting_day: date, moved_to: date) -> None:
    _, new = split_at_new_time(text)
    window = find_window(new or text, TODAY)
    assert window is not None
    assert nearest_to_meeting(window, text, meeting_day).first == moved_to


NEXT_WEEK = Window(date(2027, 1, 18), date(2027, 1, 22))  # asked for "next week", on Tuesday the 12th


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("torsdag kl 9", date(2027, 1, 21)),  # Thursday of the week asked for, not this week's (the 14th)
        ("hellere fredag", date(2027, 1, 22)),
        ("mandag eftermiddag", date(2027, 1, 18)),
        ("torsdag d. 14", date(2027, 1, 14)),  # a date says which
        ("i morgen kl 9", date(2027, 1, 13)),  # as written
        ("torsdag i denne uge", date(2027, 1, 14)),
    ],
)
def test_a_weekday_alone_narrows_the_days_already_given(text: str, day: date) -> None:
    window = find_window(text, TODAY)
    assert window is not None
    assert within_span(window, text, NEXT_WEEK).first == day


def test_a_weekday_outside_the_span_or_one_day_given_stays() -> None:
    window = find_window("lørdag", TODAY)
    assert window is not None
    assert within_span(window, "lørdag", NEXT_WEEK) == window  # no Saturday in Monday-Friday: as read
    one_day = Window(date(2027, 1, 21), date(2027, 1, 21))
    assert within_span(window, "lørdag", one_day) == window


def test_busy_until_a_time_is_a_reason_not_the_new_time() -> None:
    reference = read_meeting_reference("can we move wednesdays meeting, har skole til kl 15", TODAY)
    assert (reference.on, reference.new_time, reference.same_day) == (date(2027, 1, 13), None, False)
    reference = read_meeting_reference("den på fredag, er på arbejde til 14:00, kan vi rykke den til kl 15", TODAY)
    assert (reference.on, reference.same_day) == (FRIDAY, True)  # "til kl 15" is the new time


@pytest.mark.parametrize(
    ("text", "day"),
    [("vi sås her til morgen", TODAY), ("mødtes i formiddags", TODAY), ("i aftes", date(2027, 1, 11))],
)
def test_earlier_today_told_in_the_past(text: str, day: date) -> None:
    from bot.dates import find_date

    assert find_date(text, TODAY, "past") == day


def test_where_one_is_going_is_no_new_time_and_a_day_compound_names_the_meeting() -> None:
    # "til" starts the new time only when a day or time follows at once.
    going = read_meeting_reference("jeg skal til frisøren på fredag, kan mødet flyttes", TODAY)
    assert (going.on, going.new_time) == (date(2027, 1, 15), None)
    moved = read_meeting_reference("kan vi flytte mandagsmødet til onsdag kl 11", TODAY)
    assert moved.on == date(2027, 1, 18) and moved.new_time is not None and moved.new_time.at == time(11)
    assert read_meeting_reference("slet torsdagsaftalen", TODAY, moving=False).on == date(2027, 1, 14)


def test_kan_vi_tage_den_starts_the_new_time() -> None:
    reference = read_meeting_reference("torsdag duer ikke alligevel, kan vi tage den mandag kl 13 i stedet", TODAY)
    assert reference.on == date(2027, 1, 14) and reference.new_time is not None
    assert (reference.new_time.first, reference.new_time.at) == (date(2027, 1, 18), time(13))


def test_a_meeting_named_by_its_week_is_the_first_one_in_it() -> None:
    reference = read_meeting_reference("aflys mødet i næste uge pls", TODAY, moving=False)
    monday = TODAY + timedelta(days=7 - TODAY.weekday())
    assert (reference.on, reference.position) == (None, None)
    assert reference.within is not None and reference.within[0] == monday and reference.within[1] > monday
    assert read_meeting_reference("aflys mødet på fredag", TODAY, moving=False).within is None  # one day: `on`
