"""A no that tells how bad its writer feels is told apart from a plain no
(bot/shared/feelings.py): written as people write, with and without æ/ø/å."""

from __future__ import annotations

import pytest

from bot.shared.feelings import tells_feeling_bad


@pytest.mark.parametrize(
    "text",
    [
        "nej, jeg er bare rigtig ked af det",
        "nej ikke sådan, men jeg har det virkelig dårligt",
        "har det ret skidt for tiden",
        "har bare haft det rigtig hårdt siden fødslen",
        "nej.. har det bare svaert",
        "jeg føler mig så ensom med den lille",
        "foeler mig helt alene med det hele",
        "kan ik overskue noget som helst",
        "magter ikke mere af det her",
        "jeg har ikke noget overskud til noget",
        "jeg græder hele tiden",
        "no, I just feel really lonely",
        "not ok at all",
        "jeg er så deprimeret",
    ],
)
def test_a_message_that_tells_feeling_bad(text: str) -> None:
    assert tells_feeling_bad(text)


@pytest.mark.parametrize(
    "text",
    ["nej tak", "nej det er fint", "nope", "nej, ikke nu", "har det fint", "nej, vi klarer os", "no thanks", "nej 🙂"],
)
def test_a_plain_no_is_not_feeling_bad(text: str) -> None:
    assert not tells_feeling_bad(text)
