"""Chat hours in Danish local time: open or not, and the next opening in words."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.shared.clock import DANISH_TIME
from bot.shared.municipality import current_municipality
from bot.shared.opening_hours import ChatHours, OpeningHoursError, describe_opening

HOURS = ChatHours.parse({"monday": "08:00-15:00", "tuesday": "08:00-15:00", "friday": "08:30-13:00"})


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=DANISH_TIME)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("2026-11-30 07:59", False),  # Monday before opening
        ("2026-11-30 08:00", True),
        ("2026-11-30 14:59", True),
        ("2026-11-30 15:00", False),
        ("2026-12-02 10:00", False),  # Wednesday: closed all day
        ("2026-12-05 10:00", False),  # Saturday
    ],
)
def test_is_open(moment: str, is_open: bool) -> None:
    assert HOURS.is_open(local(moment)) is is_open


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-30 07:00", "i dag kl. 8"),  # Monday morning
        ("2026-11-30 16:00", "i morgen kl. 8"),  # Monday evening
        ("2026-12-01 23:40", "fredag kl. 8.30"),  # Tuesday night: Wednesday and Thursday closed
        ("2026-12-04 13:00", "mandag kl. 8"),  # Friday at closing time
        ("2026-12-05 12:00", "mandag kl. 8"),  # Saturday
    ],
)
def test_next_opening_in_danish(moment: str, expected: str) -> None:
    now = local(moment)
    opening = HOURS.next_opening(now)
    assert opening is not None and describe_opening(opening, now) == expected


def test_local_time_holds_across_daylight_saving() -> None:
    # 06:30 UTC is 08:30 in Danish summer time and 07:30 in winter time.
    assert HOURS.is_open(datetime(2026, 6, 1, 6, 30, tzinfo=timezone.utc))
    assert not HOURS.is_open(datetime(2026, 11, 30, 6, 30, tzinfo=timezone.utc))


def test_never_open_has_no_next_opening() -> None:
    assert ChatHours.parse({}).next_opening(local("2026-11-30 10:00")) is None


@pytest.mark.parametrize("raw", [{"mandag": "08:00-15:00"}, {"monday": "8-15"}, {"monday": "15:00-08:00"}])
def test_bad_hours_are_refused_with_the_reason(raw: dict[str, str]) -> None:
    with pytest.raises(OpeningHoursError):
        ChatHours.parse(raw)


def test_the_municipality_file_has_chat_hours() -> None:
    assert current_municipality().chat_hours.is_open(local("2026-11-30 10:00"))
