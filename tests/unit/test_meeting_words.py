"""A young person's wish about their meetings in so many words (bot/shared/meeting_words.py)."""

from __future__ import annotations

import pytest

from bot.shared.meeting_words import (
    NEW_OVERRIDDEN,
    NOTE_OVERRIDDEN,
    SEE_OVERRIDDEN,
    asks_for_a_new_meeting,
    notes_a_held_meeting,
    wants_to_see_meetings,
)


@pytest.mark.parametrize(
    "text",
    [
        "jeg er ny i kommunen og vil gerne tjekke mine aftaler",
        "kan du vise mine kommende møder",
        "hvor kan jeg finde mine moeder",
        "can u show my meetings pls",
    ],
)
def test_a_look_at_the_meetings(text: str) -> None:
    assert wants_to_see_meetings(text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil gerne se mine møder flyttet til næste uge",  # a move
        "kan jeg booke et møde og se mine aftaler bagefter",
        "kan jeg se min uddannelsesplan",
        "vis mig hvordan man aflyser mine møder",
    ],
)
def test_asking_for_changing_or_other_things_is_no_look(text: str) -> None:
    assert not wants_to_see_meetings(text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg skal have ført mødet ind",
        "kan du notere et afholdt møde for mig",
        "hvordan registrerer man en samtale",  # no: "registrerer" is not the infinitive
        "vil have registreret et møde med Lene",
    ],
)
def test_a_meeting_to_note_down(text: str) -> None:
    expected = "registrerer" not in text
    assert notes_a_held_meeting(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "kan du skrive et møde ind i næste uge",
        "skriv mig op til et møde snart",
        "log mig ud",
        "jeg vil skrive min kode",
    ],
)
def test_a_meeting_to_come_or_other_writing_is_no_note(text: str) -> None:
    assert not notes_a_held_meeting(text)


def test_never_over_danger_or_a_person() -> None:
    for overridden in (SEE_OVERRIDDEN, NOTE_OVERRIDDEN, NEW_OVERRIDDEN):
        assert not overridden & {"express_distress", "possible_distress", "request_human", "stop"}


def test_a_look_asked_for_with_the_pairing_code_is_the_look() -> None:
    assert wants_to_see_meetings("kan jeg se mine aftaler, min kode er K7P-4QX") and "identify" in SEE_OVERRIDDEN


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("skal vi ikke have et ekstra møde i næste uge, torsdag passer mig", True),
        ("kan jeg få et møde mere med min mentor før jul", True),
        ("I'd like another meeting next month", True),
        ("kan vi flytte mødet på fredag til et nyt møde i næste uge", False),  # moving one
        ("kan vi tage et nyt møde i stedet for det på tirsdag", False),
        ("aflys fredag, jeg booker et nyt møde senere", False),
        ("kan vi rykke mødet", False),
    ],
)
def test_a_new_meeting_asked_for_is_no_move(text: str, new: bool) -> None:
    assert asks_for_a_new_meeting(text) is new
