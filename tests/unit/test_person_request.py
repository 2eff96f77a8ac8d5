"""A request for a person in so many words (bot/shared/person_request.py)."""

from __future__ import annotations

import pytest

from bot.shared.person_request import OVERRIDDEN, asks_for_a_person


@pytest.mark.parametrize(
    "text",
    [
        "nej det var slet ikke det jeg spurgte om. kan jeg ikke bare snakke med et menneske",
        "nej nej det er ikke det. kan en medarbejder ikke ringe mig op i stedet, det er nemmere",
        "kan jeg skrive med en voksen 🙏",
        "ja vil gerne ha et menneske",
        "giv mig videre til en rigtig person",
        "can I talk to a real person please",
    ],
)
def test_a_person_asked_for_as_people_write_it(text: str) -> None:
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg talte med min mentor i går",  # told, not asked
        "vi snakkede med sundhedsplejersken i går",
        "hvornår har I åbent",
        "min kæreste kommer med",
        "jeg vil gerne have en tid",
    ],
)
def test_a_person_only_mentioned_is_no_request(text: str) -> None:
    assert not asks_for_a_person(text)


def test_questions_about_services_and_danger_are_never_overridden() -> None:
    never = {"faq", "ask_contact_details", "ask_opening_hours", "express_distress", "possible_distress"}
    never |= {"bot_challenge"}
    assert not never & OVERRIDDEN
