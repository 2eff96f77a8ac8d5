"""A value corrected inside the message that gives it (bot/shared/corrections.py)."""

from __future__ import annotations

import pytest

from bot.shared.corrections import OVERRIDDEN, after_correction, corrects_a_value


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("termin 3. maj.. nej vent, 13. maj", "13. maj"),
        ("kl 9 sorry i mean kl 10", "kl 10"),
        ("undskyld, d. 12. august", "d. 12. august"),
        ("d. 20. august, undskyld det sene svar", "d. 20. august, undskyld det sene svar"),  # no value after it
        ("hej med dig", "hej med dig"),
    ],
)
def test_what_is_read_after_a_correction(text: str, rest: str) -> None:
    assert after_correction(text) == rest


@pytest.mark.parametrize(
    ("text", "corrects"),
    [
        ("kl 14.. no wait 15 works better for me", True),
        ("den 4. juni, nej vent, den 5. juni", True),
        ("undskyld, hvad er klokken", False),
        ("kl 10 sorry", False),
        ("sorry for the late answer", False),
    ],
)
def test_a_value_given_and_corrected_is_an_answer(text: str, corrects: bool) -> None:
    assert corrects_a_value(text) is corrects


def test_only_nothing_understood_and_off_the_subject_are_overridden() -> None:
    assert {"out_of_scope", "nlu_fallback"} == OVERRIDDEN
