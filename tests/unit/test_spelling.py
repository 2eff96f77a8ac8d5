"""One spelling for the ways a Danish word gets typed (bot/shared/spelling.py)."""

from __future__ import annotations

import pytest

from bot.shared.spelling import fold, nearest_known


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


KNOWN = {"tilmelde": 40, "tilmeldt": 12, "modet": 30, "mode": 5, "kurset": 20, "hej": 50}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("tilmedle", "tilmelde"),  # two letters swapped
        ("tilmlde", "tilmelde"),  # one left out
        ("tilmeldee", "tilmelde"),  # one added
        ("kurzet", "kurset"),  # one changed
        ("tilmeldt", "tilmeldt"),  # known: never changed, even next to a more frequent word
        ("hje", "hje"),  # too short to tell from an abbreviation or a name
        ("krusett", "krusett"),  # two typos away
        ("mette@x.dk", "mette@x.dk"),
        ("12345", "12345"),
    ],
)
def test_a_word_one_typo_from_a_known_word_is_read_as_it(typed: str, read: str) -> None:
    assert nearest_known(typed, KNOWN) == read


def test_of_two_known_words_one_typo_away_the_more_frequent_wins() -> None:
    assert nearest_known("modett", {"modet": 30, "modett": 1}) == "modett"  # known, even if rare
    assert nearest_known("mpde", {"mode": 5, "mide": 9}) == "mide"
    assert nearest_known("mpde", {"mode": 5, "mide": 5}) == "mode"  # a tie: the same word every time
