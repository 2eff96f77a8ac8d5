"""CPR numbers are masked in every written form; numbers that only look like
one (phone numbers, dates with times, reference codes) are left alone."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.shared.cpr import MASK, contains_cpr, mask_cpr, mask_payload, mask_values
from bot.shared.settings import ROOT

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


def test_every_writing_of_a_generated_thousand_is_masked_whole() -> None:
    from bot.shared.cpr import _normalised
    from tests.cpr_writings import cpr_numbers

    messages = cpr_numbers()
    assert len(messages) >= 1000
    for text in messages:
        masked = mask_cpr(text)
        assert MASK in masked and not contains_cpr(masked), text
        assert not re.search(r"\d{2}", _normalised(masked)[0]), (text, masked)  # nothing of it left


def test_every_generated_look_alike_is_left_alone() -> None:
    from tests.cpr_writings import look_alikes

    messages = look_alikes()
    assert len(messages) >= 300
    assert [text for text in messages if mask_cpr(text) != text] == []


@pytest.mark.parametrize(
    "payload",
    [
        '/inform{"contact": "\\u0030\\u0031\\u0030\\u0032\\u0030\\u0033-1234"}',
        '/inform{"contact": "010203 - 1234"}',
        '/inform{"note": ["mit cpr", "01.02.03-1234"]}',
    ],
)
def test_a_cpr_number_in_a_typed_payload_is_masked_after_json_decoding(payload: str) -> None:
    masked = mask_payload(payload)
    assert MASK in masked and "1234" not in masked and "\\u0030" not in masked


def test_every_generated_typed_payload_is_masked() -> None:
    from tests.cpr_writings import typed_payloads

    payloads = typed_payloads()
    assert len(payloads) >= 200
    missed = [p for p in payloads if not (MASK in mask_payload(p) and not contains_cpr(mask_payload(p)))]
    assert missed == []


def test_metadata_is_masked_all_the_way_down() -> None:
    assert mask_values({"a": ["0102031234", {"b": "cpr 010203-1234"}], "n": 3}) == {
        "a": [MASK, {"b": f"cpr {MASK}"}],
        "n": 3,
    }


def test_log_records_have_their_cpr_numbers_masked(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from bot.shared.cpr import mask_log_records

    mask_log_records()
    mask_log_records()  # twice is harmless
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("rasa.core.processor").debug("Received user message '%s'", "mit cpr er 010203-1234")
        logging.getLogger("somewhere").error("failed on %r", {"text": "01.02.03 1234"})
    assert "1234" not in caplog.text and caplog.text.count(MASK) == 2
