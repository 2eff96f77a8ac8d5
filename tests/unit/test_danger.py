"""The danger safeguard next to the classifier: the contract's examples and
clear phrases match, everyday words that share a stem do not. Its recall on a
blind set is printed by `make bench`."""

from __future__ import annotations

import pytest

from bot.danger import signals_danger


@pytest.mark.parametrize("text", [
    "min kæreste slår mig", "jeg orker ikke at leve mere", "han truer med at slå mig",
    "jeg er bange for at jeg gør min baby noget", "jeg får lyst til at ryste ham", "min mand ryster babyen",
    "vil ikke være her mere", "jeg har lyst til at skade mig selv", "jeg tænker på selvmord",
    "jeg vil tage mit eget liv", "I want to die", "my boyfriend hits me", "min kaereste slaar mig igen",
])
def test_clear_danger_matches(text: str) -> None:
    assert signals_danger(text)


@pytest.mark.parametrize("text", [
    "jeg slår lige op hvornår kurset er", "han slår græsset", "jeg er død træt", "dræber mig den her kø",
    "min søn slog hovedet, skal vi til lægen", "jeg ryster af kulde", "jeg er bange for at komme for sent",
    "hvordan laver man en underretning", "jeg har været lidt ked af det efter fødslen",
])
def test_everyday_words_do_not(text: str) -> None:
    assert not signals_danger(text)
