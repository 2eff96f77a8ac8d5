"""A request for a person in so many words (bot/shared/person_request.py)."""

from __future__ import annotations

import pytest

from bot.shared.person_request import (
    CALL_OVERRIDDEN,
    CHALLENGE_OVERRIDDEN,
    CONCERN_OVERRIDDEN,
    OVERRIDDEN,
    asks_for_a_person,
    asks_for_someone_about_it,
    asks_for_someone_from_here,
    asks_past_the_bot,
    asks_someone_to_look,
    asks_to_be_called,
)


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


@pytest.mark.parametrize(
    "text",
    [
        "kan nogen fra kommunen ringe til mig i morgen? 22 33 44 55",
        "vil en medarbejder godt kontakte mig",
        "kan I ikke ringe mig op, jeg har svært ved at skrive",
        "Could someone from the council call me back? 40 50 60 70",
        "please can you call me, I do not like typing",
    ],
)
def test_a_call_asked_for_is_a_person_asked_for(text: str) -> None:
    assert asks_to_be_called(text)


@pytest.mark.parametrize(
    "text",
    [
        "kan sundhedsplejersken ringe mig op?",  # a service's own people: a question about the service
        "hvornår kan jeg ringe til jer",
        "what number do I call you on",
        "min mor ringer til mig hver dag",
    ],
)
def test_calling_the_municipality_or_a_service_is_no_call_asked_for(text: str) -> None:
    assert not asks_to_be_called(text)


def test_a_call_asked_for_wins_over_contact_questions_and_the_bot_question_never_over_danger() -> None:
    assert {"faq", "ask_contact_details", "bot_challenge"} <= CALL_OVERRIDDEN
    assert not {"express_distress", "possible_distress"} & (CALL_OVERRIDDEN | CHALLENGE_OVERRIDDEN)


@pytest.mark.parametrize(
    ("text", "past_the_bot"),
    [
        ("du er vel en robot? jeg vil hellere tale med min rådgiver", True),
        ("are you a bot? I want to talk to a human", True),
        ("er du et rigtigt menneske?", False),  # asked about, not asked for: the bot answers and offers one
        ("are you a real person", False),
        ("er du en chatbot", False),
    ],
)
def test_a_bot_question_with_a_person_asked_for_in_words(text: str, past_the_bot: bool) -> None:
    assert asks_past_the_bot(text) is past_the_bot


@pytest.mark.parametrize(
    "text",
    [
        "ugh det her er for besværligt, kan jeg ikke bare få min sagsbehandler i telefonen",
        "kan jeg få en medarbejder i røret",
    ],
)
def test_a_person_asked_for_on_the_phone_is_a_call(text: str) -> None:
    assert asks_to_be_called(text) and asks_for_a_person(text)


def test_a_person_asked_for_with_fillers_and_ones_own() -> None:
    assert asks_for_a_person("kan jeg ikke bare få fat i min rådgiver")
    assert not asks_for_a_person("kan jeg få min sagsbehandlers nummer")  # a question about contact details


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("jeg er bekymret for ham. kan der komme nogen fra kommunen og kigge på det?", True),
        ("kan I sende nogen ud til familien", True),
        ("can someone from the municipality look into it", True),
        ("jeg vil gerne tale med en person fra kommunen om det", True),
        ("vil gerne snakke med en fra kommunen om hende. Lise, 20 30 40 50", True),
        ("please someone from the kommune should check on them", True),
        ("somebody needs to look into it", True),
        ("jeg er bekymret for naboens børn, hvad gør jeg", False),  # how to report it: the explanation
        ("kan man se på det som omsorgssvigt", False),
    ],
)
def test_someone_asked_to_come_and_look_with_a_concern(text: str, asked: bool) -> None:
    assert asks_for_someone_about_it(text) is asked


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("kan jeg snakke med en fra kommunen", True),
        ("jeg vil gerne tale med nogen fra familieafdelingen", True),
        ("jeg snakkede med en fra kommunen i går", False),  # told, not asked
        ("en fra kommunen sagde jeg skulle skrive her", False),
    ],
)
def test_someone_from_the_municipality_is_a_person(text: str, asked: bool) -> None:
    assert asks_for_a_person(text) is asked


def test_someone_of_the_municipality_asked_for_is_a_person_over_a_contact_question() -> None:
    assert asks_for_someone_from_here("vil gerne tale med en fra kommunen om det, mit nr er 20 30 40 50")
    assert asks_for_someone_from_here("can i speak to someone at the municipality")
    assert not asks_for_someone_from_here("kan jeg tale med en sundhedsplejerske")  # a service's own people
    assert not asks_for_someone_from_here("hvordan kontakter jeg kommunen")
    assert "faq" in CALL_OVERRIDDEN


def test_someone_asked_to_look_is_a_person_asked_for_over_a_fallback() -> None:
    assert asks_someone_to_look("can somebody from the kommune come and check on her")
    assert not asks_someone_to_look("hvordan kan jeg se det")
    assert "nlu_fallback" in OVERRIDDEN and "faq" not in OVERRIDDEN


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil hellere drøfte det med et menneske",
        "gider ik skrive m en bot, vil snakke m en rigtig person",
    ],
)
def test_a_person_asked_for_with_other_verbs_and_short_forms(text: str) -> None:
    assert asks_for_a_person(text)


def test_a_call_asked_for_in_the_passive() -> None:
    assert asks_to_be_called("jeg vil gerne bede om at blive ringet op af en sagsbehandler")
    assert asks_for_someone_about_it("jeg er bekymret for pigen ovenpå, kan jeg blive ringet op?")
    assert not asks_to_be_called("jeg blev ringet op af en sælger i går")


def test_the_concern_with_a_person_asked_for_overrides_only_the_concern() -> None:
    assert {"report_concern"} == CONCERN_OVERRIDDEN
