"""The in-memory rate limit the Rasa server and the widget channel use."""

from __future__ import annotations

from bot.shared.limits import SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_its_limit_per_window_and_then_again() -> None:
    clock = Clock()
    window = SlidingWindow(3, 60, clock)
    assert [window.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert window.allow("b")  # another key has its own window
    clock.now += 30
    assert not window.allow("a")
    clock.now += 31  # the first three are older than a minute now
    assert [window.allow("a") for _ in range(4)] == [True, True, True, False]


def test_refused_events_do_not_count() -> None:
    clock = Clock()
    window = SlidingWindow(2, 60, clock)
    for _ in range(100):
        window.allow("flood")
    clock.now += 61
    assert window.allow("flood") and window.allow("flood") and not window.allow("flood")


def test_silent_keys_are_forgotten() -> None:
    clock = Clock()
    window = SlidingWindow(1, 60, clock)
    for n in range(10_000):
        window.allow(f"rotating-{n}")
    clock.now += 61
    window.allow("next")
    assert len(window._events) == 1
