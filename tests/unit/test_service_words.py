"""A support service named by its own word (bot/shared/service_words.py),
which the NLU, the wish to sign up and the service answers read."""

from __future__ import annotations

import pytest

from bot.shared import service_words
from bot.shared.service_words import (
    about_another_service,
    after_the_course,
    asks_about_the_named_service,
    named_topics,
    only_named_topic,
)


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("hvordan får vi plads i en vuggestue", {"dagtilbud"}),
        ("hvornaar skal hun skrives op til boernehave", {"dagtilbud"}),
        ("where do we sign up for a nursery place", {"dagtilbud"}),
        ("is childcare guaranteed from 6 months", {"dagtilbud"}),
        ("findes der fædregrupper i byen", {"foraeldrenetvaerk"}),
        ("kan man komme i en foraeldre gruppe", {"foraeldrenetvaerk"}),
        ("any dads group around here?", {"foraeldrenetvaerk"}),
        ("are there groups for new mums here", {"foraeldrenetvaerk"}),
        ("findes der grupper for fædre i kommunen", {"foraeldrenetvaerk"}),
        ("hvornår skal han til tandlaege", {"tandpleje"}),
        ("is the dentist free for toddlers", {"tandpleje"}),
        ("tror jeg har en fødselsdepression", {"efterfoedselsreaktion"}),
        ("vi skaendes over alt efter lillebror kom, hvem kan hjælpe", {"familieraadgivning"}),
        ("kan man få hjælp hvis man går fra hinanden med et spædbarn", {"familieraadgivning"}),
        ("vuggestue eller dagpleje, og hvad med tandlægen", {"dagtilbud", "tandpleje"}),
        ("hvad er familie med hjerte", set()),
        ("hvornår kommer sundhedsplejersken", set()),  # she also comes to the course: no one service's word
    ],
)
def test_the_services_a_message_names(text: str, topics: set[str]) -> None:
    assert named_topics(text) == topics
    assert only_named_topic(text) == (next(iter(topics)) if len(topics) == 1 else None)


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("kan vi mødes med de andre efter kurset", True),
        ("hvad findes der bagefter forløbet", True),
        ("når holdet er slut, hvad så", True),
        ("what is there after the course for parents", True),
        ("is there anything once the course is over?", True),
        ("hvornår starter kurset", False),
        ("efter fødslen, hvornår kommer hun", False),
    ],
)
def test_the_time_after_the_course(text: str, after: bool) -> None:
    assert after_the_course(text) is after


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("kan man være med i en mødregruppe når forløbet er færdigt", True),  # the course as a time only
        ("hvordan skriver vi os op til dagplejen", True),
        ("kan jeg melde mig til en fars gruppe", True),
        ("er der mødregrupper på forældrekurset", False),  # about the course itself
        ("vi vil gerne tilmelde os kurset, hun går i vuggestue", False),
        ("hvad koster kurset", False),
    ],
)
def test_another_service_than_the_course(text: str, other: bool) -> None:
    assert about_another_service(text) is other


def test_both_readings_must_agree() -> None:
    text = "er der noget med grupper for forældre når kurset er ovre? barselsgruppe eller lign"
    assert asks_about_the_named_service(text, "foraeldrenetvaerk")
    assert not asks_about_the_named_service(text, "dagtilbud")  # the selector picked another service
    assert not asks_about_the_named_service(text, None)
    assert not asks_about_the_named_service("hvad sker der efter kurset", "foraeldrenetvaerk")  # no service named


def test_danger_a_person_and_young_peoples_requests_are_never_overridden() -> None:
    never = {"express_distress", "possible_distress", "request_human", "book_meeting", "faq", "stop"}
    assert not never & service_words.OVERRIDDEN


def test_read_as_the_course_a_message_naming_one_other_service_is_about_that_service() -> None:
    # Whatever the ResponseSelector guessed: the answer then goes by the word.
    text = "kan vi allerede nu skrive ham op til vuggestue"
    assert asks_about_the_named_service(text, "familieraadgivning", "enroll_course")
    assert not asks_about_the_named_service(text, "familieraadgivning", "request_human")
    assert not asks_about_the_named_service("vi vil gerne på forældrekurset", None, "enroll_course")
    # A help question that names a service the ResponseSelector agrees on.
    assert asks_about_the_named_service("hvad kan tandplejen hjælpe mig med", "tandpleje", "help")


def test_a_couples_quarrel_read_as_the_course_is_the_family_counselling() -> None:
    text = "hvem kan vi tale med når vi skændes så meget efter fødslen, vi er helt flade"
    assert asks_about_the_named_service(text, "familieraadgivning", "ask_course_info")
    assert not asks_about_the_named_service("taler man om at man skændes på kurset", None, "ask_course_info")


@pytest.mark.parametrize(
    ("text", "topic", "service"),
    [
        ("Is the dentist still free for my daughter? She is 19, born 2007", "tandpleje", True),
        ("kan min søn på 17 stadig komme til tandlægen gratis?", "tandpleje", True),
        # a worry said: the concern it was read as
        ("min nabos pige har sorte tænder og ingen går til tandlæge med hende, jeg er bekymret", "tandpleje", False),
        ("er tandplejen gratis? han bliver slået derhjemme", "tandpleje", False),
        # not a question, or the selector reads another service
        ("min datter skal til tandlæge", "tandpleje", False),
        ("Is the dentist still free for my daughter?", "dagtilbud", False),
    ],
)
def test_a_service_question_read_as_a_concern_is_the_service_unless_it_says_a_worry(
    text: str, topic: str, service: bool
) -> None:
    assert service_words.a_service_question_read_as_a_concern(text, topic, "report_concern") is service
    assert not service_words.a_service_question_read_as_a_concern(text, topic, "faq")
