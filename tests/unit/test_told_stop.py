"""An education stopped, told in the past tense, is no command to stop (bot/shared/told_stop.py)."""

from __future__ import annotations

import pytest

from bot.shared.told_stop import OVERRIDDEN, tells_a_stop


@pytest.mark.parametrize(
    "text",
    [
        "stoppede i fredags",
        "er stoppet på tømreruddannelsen",
        "jeg droppede hf",
        "stoppede d. 8",
        "quit school",
        "er hoppet af eux, det blev for hårdt",
        "har meldt mig ud af gymnasiet",
        "dropped out of college",
    ],
)
def test_a_stop_told(text: str) -> None:
    assert tells_a_stop(text)


@pytest.mark.parametrize(
    "text",
    [
        "stop",
        "stop det her",
        "jeg vil stoppe",
        "jeg stoppede med at amme i går, er det normalt at have ondt",  # a parent's question, no education
        "stoppede",
        "i left school early today",  # not a stop
    ],
)
def test_a_command_or_something_else_is_no_stop_told(text: str) -> None:
    assert not tells_a_stop(text)


def test_the_stop_command_nothing_understood_and_small_talk_are_overridden() -> None:
    # "<code> er hoppet af hhx, det var for meget" was read as thanks
    assert {"stop", "nlu_fallback", "thank", "goodbye", "identify", "out_of_scope"} == OVERRIDDEN
    assert tells_a_stop("Q4R-7ZM er hoppet fra smedeuddannelsen")
