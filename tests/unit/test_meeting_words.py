"""A young person's wish about their meetings in so many words (bot/shared/meeting_words.py)."""

from __future__ import annotations

import pytest

from bot.shared.meeting_words import (
    CALL_OFF_OVERRIDDEN,
    MOVE_OVERRIDDEN,
    NEW_OVERRIDDEN,
    NOTE_OVERRIDDEN,
    ONE_MORE_OVERRIDDEN,
    SEE_OVERRIDDEN,
    asks_for_a_new_meeting,
    asks_for_one_more,
    calls_off_a_meeting,
    moves_a_meeting_that_does_not_suit,
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
        "kan du vise mine tider med min mentor",
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
        "vil gerne notere at jeg mødte Hassan i tirsdags",  # the mentor seen, no word for a meeting
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


@pytest.mark.parametrize(
    ("text", "called_off"),
    [
        ("kan ikk nå mødet d. 15, kan vi bare droppe det", True),
        ("aflys mødet", True),
        ("jeg melder afbud til mødet i morgen", True),
        ("can't make the meeting tomorrow, sorry", True),
        ("ka ik komme til modet paa fredag", True),
        ("annuller aftalen med Jonas", True),
        ("got a shift at work friday so i cant make it to the mentor thing", True),
        ("i cant make it to the party", False),
        ("kan ikke komme til mødet, kan vi rykke det til fredag", False),  # moving it
        ("kan vi droppe mødet og tage et nyt senere", False),
        ("drop det", False),  # no meeting named: leaving a form, or nothing
        ("kan ikke nå det", False),
        ("vi kan ikke nå mødet med sundhedsplejersken", False),  # a parent's appointment
        ("hvilke af mine møder blev aflyst", False),  # a look at them
        ("er mødet på fredag aflyst?", False),
    ],
)
def test_a_meeting_called_off_in_so_many_words(text: str, called_off: bool) -> None:
    assert calls_off_a_meeting(text) is called_off


def test_calling_off_overrides_a_guess_at_moving_or_nothing_never_stop_or_danger() -> None:
    assert {"nlu_fallback", "reschedule_meeting"} <= CALL_OFF_OVERRIDDEN
    assert not CALL_OFF_OVERRIDDEN & {"stop", "express_distress", "possible_distress", "request_human"}


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("mødet m. min mentor, kan vi få et ekstra på mandag? har fået brev fra skat jeg ik forstår 😩", True),
        ("kan jeg booke en til med min kontaktperson i næste uge", True),
        ("could we get an extra meeting this week", True),
        ("kan vi få et ekstra", False),  # no meeting named: anything
        ("kan vi tage en mere snak i stedet for mødet på fredag", False),  # replacing one
        ("jeg havde et ekstra møde med min mentor i går", False),  # held: no request
    ],
)
def test_one_more_asked_for_is_a_request(text: str, asked: bool) -> None:
    assert asks_for_one_more(text) is asked


def test_one_more_overrides_a_held_meeting_guess_never_a_person_or_danger() -> None:
    assert {"log_meeting", "reschedule_meeting"} <= ONE_MORE_OVERRIDDEN
    assert not ONE_MORE_OVERRIDDEN & {"stop", "express_distress", "possible_distress", "request_human"}


@pytest.mark.parametrize(
    ("text", "noted"),
    [
        ("H7K-2PD vil gerne skrive ind at jeg havde møde med min kontaktperson", True),
        ("skal lige registrere at vi havde en god snak i går", False),  # no meeting or talk named: the classifier's
        ("kan du notere at jeg havde en lang samtale med Lene", True),
        ("I want to log that I had a meeting with my mentor", True),
        ("skal jeg skrive noget ned før jeg har mødet i morgen", False),  # one to come
    ],
)
def test_a_held_meeting_to_note_down_told_with_what_happened(text: str, noted: bool) -> None:
    assert notes_a_held_meeting(text) is noted


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("mødet tirsdag kl 8 er for tidligt, kan vi tage det kl 10 i stedet", True),
        ("har læge onsdag formiddag, kan mentormødet blive senere samme dag?", True),
        ("the meeting on friday doesn't work for me, can we do it earlier", True),
        ("tirsdag passer ikke, kan jeg få et nyt møde", False),  # a new one asked for in so many words
        ("jeg kan ikke komme til mødet i morgen", False),  # no other time asked
        ("kan vi tage det senere?", False),  # no meeting named
    ],
)
def test_a_meeting_that_does_not_suit_moved_to_another_time(text: str, moves: bool) -> None:
    assert moves_a_meeting_that_does_not_suit(text) is moves


def test_the_move_overrides_a_guess_at_a_new_or_held_meeting_never_a_cancel() -> None:
    assert {"book_meeting", "log_meeting"} <= MOVE_OVERRIDDEN and "cancel_meeting" not in MOVE_OVERRIDDEN
