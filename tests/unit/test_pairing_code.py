"""What a typed pairing code looks like, and when a message is the code and
little else (bot/shared/pairing_code.py)."""

from __future__ import annotations

import pytest

from bot.shared.pairing_code import find_code, only_a_code


@pytest.mark.parametrize(
    ("text", "code"),
    [("k7p-4qx", "K7P-4QX"), ("K7P 4QX", "K7P-4QX"), ("min kode er k7p4qx", "K7P-4QX"), ("hej R87-ESV", "R87-ESV")],
)
def test_a_code_as_typed(text: str, code: str) -> None:
    assert find_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["K7P-4QX", "koden er k7p-4qx", "hej min kode er K7P-4QX", "Sofie her, koden er K7P-4QX", "den er K7P-4QX 🙂"],
)
def test_a_code_and_little_else_is_the_code(text: str) -> None:
    assert only_a_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "MXP-5ZN er stoppet paa toemreruddannelsen",  # a request that holds a code
        "K7P-4QX hvornår er mit næste møde",
        "K7P-4QX aflys fredag",
        "hej",
    ],
)
def test_a_request_that_holds_a_code_is_the_request(text: str) -> None:
    assert not only_a_code(text)
