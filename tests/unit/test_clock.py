"""The one clock (bot/shared/clock.py): ASSISTANT_TODAY pins the Danish date
every process believes is today (the conversation replay runs on the day its
author assumed); the time of day runs on."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.shared.clock import DANISH_TIME, danish_now, danish_today, utc_now


def test_without_the_pin_the_clock_is_the_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_TODAY", raising=False)
    before = datetime.now(timezone.utc)
    assert before <= utc_now() <= datetime.now(timezone.utc)


def test_the_pinned_day_is_today_in_denmark_at_the_real_time_of_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TODAY", "2027-01-12")
    assert danish_today() == date(2027, 1, 12)
    real = datetime.now(timezone.utc).astimezone(DANISH_TIME)
    pinned = danish_now()
    assert abs((pinned.hour * 60 + pinned.minute) - (real.hour * 60 + real.minute)) <= 1
    assert utc_now().tzinfo is not None and utc_now().astimezone(DANISH_TIME).date() == date(2027, 1, 12)


def test_a_pinned_day_that_is_no_date_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TODAY", "i morgen")
    with pytest.raises(ValueError):
        danish_today()
