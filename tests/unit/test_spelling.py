"""One spelling for the ways a Danish word gets typed (bot/shared/spelling.py)."""

from __future__ import annotations

import pytest

from bot.shared.spelling import fold


@pytest.mark.parametrize(
    "variants",
    [
        ("møde", "moede", "mode", "MØDE"),
        ("få", "faa", "fa"),
        ("kæreste", "kaereste", "kareste"),
        ("hejj", "hejjj", "HEJJJJ"),
        ("sundhedsplejerske", "Sundhedsplejerske"),
        ("åbningstider", "aabningstider", "abningstider"),
    ],
)
def test_the_ways_a_word_is_typed_are_one(variants: tuple[str, ...]) -> None:
    assert len({fold(word) for word in variants}) == 1


@pytest.mark.parametrize(("one", "other"), [("hej", "hjem"), ("møde", "mødet"), ("mor", "far"), ("ja", "jaaa")])
def test_different_words_stay_apart(one: str, other: str) -> None:
    assert fold(one) != fold(other)


def test_digits_emoji_and_punctuation_pass_through() -> None:
    assert fold("12.04 🙂!") == "12.04 🙂!"
