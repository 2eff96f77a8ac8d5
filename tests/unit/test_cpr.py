"""CPR numbers are masked in every written form; numbers that only look like
one (phone numbers, dates with times, reference codes) are left alone."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.cpr import MASK, contains_cpr, mask_cpr
from bot.settings import ROOT

CASES = yaml.safe_load((ROOT / "tests" / "data" / "cpr_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", CASES["cpr"])
def test_cpr_numbers_are_masked(text: str) -> None:
    masked = mask_cpr(text)
    assert MASK in masked and not contains_cpr(masked)
    assert not re.search(r"\d{6}\D?\d{4}", masked)


@pytest.mark.parametrize("text", CASES["not_cpr"])
def test_look_alikes_are_left_alone(text: str) -> None:
    assert mask_cpr(text) == text


def test_two_numbers_in_one_message_and_the_words_around_them_stay() -> None:
    assert mask_cpr("min kærestes cpr 121190-2345 og mit 130291-3456") == f"min kærestes cpr {MASK} og mit {MASK}"
