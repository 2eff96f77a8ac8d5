"""An education stopped, told in the past tense, is no command to stop (bot/shared/told_stop.py)."""

from __future__ import annotations

import pytest

from bot.shared.told_stop import OVERRIDDEN, tells_a_stop


@pytest.mark.parametrize(
    "text",
    ["stoppede i fredags", "er stoppet på tømreruddannelsen", "jeg droppede hf", "stoppede d. 8", "quit school"],
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
    ],
)
def test_a_command_or_something_else_is_no_stop_told(text: str) -> None:
    assert not tells_a_stop(text)


def test_only_the_stop_command_and_nothing_understood_are_overridden() -> None:
    assert {"stop", "nlu_fallback"} == OVERRIDDEN
    assert tells_a_stop("Q4R-7ZM er hoppet fra smedeuddannelsen")
