"""Service answers come from the services table (real SQLite and PostgreSQL),
follow-ups stay on the topic, and the domain texts take over when the table
cannot be read."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.services import CONCERN_TOPICS, ActionAnswerService, ActionAnswerServiceDetail
from bot.db.seed import seed_services
from bot.db.services import get_service, update_service
from bot.shared.clock import danish_today
from bot.shared.municipality import current_municipality
from tests.helpers import responses
from tests.test_services_seed import FAQ_TOPICS


def tracker(
    intent: str,
    *,
    topic: str | None = None,
    button_topic: str | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    latest: dict[str, Any] = {"text": "...", "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    if topic:
        latest["response_selector"] = {"faq": {"response": {"intent_response_key": f"faq/{topic}"}}}
    if button_topic:
        latest["entities"] = [{"entity": "service_topic", "value": button_topic}]
    return Tracker(
        f"test-{uuid.uuid4().hex[:8]}",
        {},
        latest,
        events or [],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def run(action: Any, tracker: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(action.run(dispatcher, tracker, {}))


def answered(topic: str) -> list[dict[str, Any]]:
    """Events of a conversation where the assistant just answered about `topic`."""
    return [
        {"event": "user", "parse_data": {"intent": {"name": "faq"}}},
        {"event": "action", "name": "action_answer_service"},
        {"event": "slot", "name": "service_topic", "value": topic},
    ]


@pytest.fixture
def catalogue(session: Session) -> Session:
    seed_services(session)
    session.commit()
    return session


@pytest.mark.parametrize("topic", [topic for topic in FAQ_TOPICS if topic not in CONCERN_TOPICS])
def test_each_topic_is_answered_from_its_row_with_a_next_step(catalogue: Session, topic: str) -> None:
    row = get_service(catalogue, topic)
    assert row is not None
    dispatcher, events = run(ActionAnswerService(), tracker("faq", topic=topic))
    answer, next_step = dispatcher.messages
    assert (answer["response"], answer["service_answer"]) == ("utter_service_answer", row.answer)
    assert (next_step["response"], next_step["service_next_step"]) == ("utter_service_next_step", row.next_step)
    assert next_step["buttons"][0]["payload"] == "/ask_contact_details"
    assert events == [SlotSet("service_topic", topic)]


def test_worry_about_a_child_is_answered_from_its_row_and_always_offers_a_person(catalogue: Session) -> None:
    row = get_service(catalogue, "underretning")
    assert row is not None
    dispatcher, events = run(ActionAnswerService(), tracker("faq", topic="underretning"))
    assert responses(dispatcher) == ["utter_service_answer", "utter_concern_offer_person"]
    assert dispatcher.messages[0]["service_answer"] == row.answer
    assert events == [SlotSet("service_topic", "underretning")]


def test_a_staff_edit_is_used_by_the_next_answer(catalogue: Session) -> None:
    update_service(
        catalogue,
        "tandpleje",
        "answer",
        "Tandplejen er gratis. Ring og book en tid.",
        editor="ab",
        known_units=set(current_municipality().units),
        today=danish_today(),
    )
    catalogue.commit()
    dispatcher, _ = run(ActionAnswerService(), tracker("faq", topic="tandpleje"))
    assert dispatcher.messages[0]["service_answer"] == "Tandplejen er gratis. Ring og book en tid."


def test_related_topics_are_offered_as_buttons_down_to_the_course(catalogue: Session) -> None:
    dispatcher, _ = run(ActionAnswerService(), tracker("faq", topic="foraeldrenetvaerk"))
    payloads = [button["payload"] for button in dispatcher.messages[1]["buttons"]]
    assert "/ask_course_info" in payloads
    dispatcher, _ = run(ActionAnswerService(), tracker("faq", topic="sundhedspleje"))
    payloads = [button["payload"] for button in dispatcher.messages[1]["buttons"]]
    assert '/faq{"service_topic": "foraeldrenetvaerk"}' in payloads


def test_a_related_topic_button_is_answered(catalogue: Session) -> None:
    dispatcher, events = run(ActionAnswerService(), tracker("faq", button_topic="foraeldrenetvaerk"))
    assert dispatcher.messages[0]["service_answer"] == get_service(catalogue, "foraeldrenetvaerk").answer  # type: ignore[union-attr]
    assert events == [SlotSet("service_topic", "foraeldrenetvaerk")]


def guessed(topic: str, confidence: float, events: list[dict[str, Any]] | None = None) -> Tracker:
    """A service question whose topic the ResponseSelector picked with this confidence."""
    asked = tracker("faq", topic=topic, events=events)
    asked.latest_message["response_selector"]["faq"]["response"]["confidence"] = confidence
    return asked


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("where do I put my daughter on the list for a nursery", "dagtilbud"),  # one service named
        ("who do I call about the dentist for my boy", "tandpleje"),
        ("hvordan får jeg fat i jer", "kontakt"),  # none named: the general contact
        ("nummeret til vuggestuen eller tandlægen?", "kontakt"),  # two named: no one service
    ],
)
def test_the_general_contact_gives_way_to_the_one_service_a_question_names(
    catalogue: Session, text: str, topic: str
) -> None:
    asked = guessed("kontakt", 0.65)
    asked.latest_message["text"] = text
    _, events = run(ActionAnswerService(), asked)
    assert events == [SlotSet("service_topic", topic)]


def test_a_service_named_wins_over_another_the_selector_is_unsure_of(catalogue: Session) -> None:
    text = "kan vi stå på venteliste til en dagplejer allerede nu"
    for confidence, topic in ((0.7, "dagtilbud"), (0.97, "familieraadgivning")):
        asked = guessed("familieraadgivning", confidence)
        asked.latest_message["text"] = text
        _, events = run(ActionAnswerService(), asked)
        assert events == [SlotSet("service_topic", topic)]


def test_a_service_named_is_no_guess_after_another_answer(catalogue: Session) -> None:
    asked = guessed("kontakt", 0.3, answered("sundhedspleje"))
    asked.latest_message["text"] = "and how do we get a place in day care"
    dispatcher, events = run(ActionAnswerService(), asked)
    assert responses(dispatcher)[0] == "utter_service_answer" and events == [SlotSet("service_topic", "dagtilbud")]


def test_a_follow_up_the_selector_only_guesses_at_is_about_the_service_just_answered(catalogue: Session) -> None:
    """ "kan man også være anonym?" after the answer about reporting a concern:
    the selector's 0.18 for the mentor topic is a guess, the topic talked about wins."""
    row = get_service(catalogue, "underretning")
    assert row is not None
    dispatcher, events = run(ActionAnswerService(), guessed("mentor", 0.18, answered("underretning")))
    assert responses(dispatcher) == ["utter_service_read_more"] and events == []
    assert dispatcher.messages[0]["service_read_more"] == row.read_more
    # Sure of another topic: that topic is answered ("og hvad med tandlægen?").
    dispatcher, events = run(ActionAnswerService(), guessed("tandpleje", 0.99, answered("underretning")))
    assert events == [SlotSet("service_topic", "tandpleje")]
    # A guess with nothing talked about yet: the guess is answered, as before.
    dispatcher, events = run(ActionAnswerService(), guessed("mentor", 0.18))
    assert events == [SlotSet("service_topic", "mentor")]


def test_no_topic_asks_which_service(catalogue: Session) -> None:
    dispatcher, events = run(ActionAnswerService(), tracker("faq"))
    assert responses(dispatcher) == ["utter_which_service"] and events == []


@pytest.mark.parametrize(
    ("topic", "intent", "response", "value"),
    [
        ("tandpleje", "ask_price", "utter_service_price", "price"),
        ("efterfoedselsreaktion", "ask_audience", "utter_service_audience", "audience"),
        ("familieraadgivning", "ask_read_more", "utter_service_read_more", "read_more"),
        ("dagtilbud", "ask_price", "utter_service_price", "price"),
        ("ungeindsats", "ask_audience", "utter_service_audience", "audience"),
    ],
)
def test_follow_ups_are_answered_from_the_topics_row(
    catalogue: Session, topic: str, intent: str, response: str, value: str
) -> None:
    row = get_service(catalogue, topic)
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker(intent, events=answered(topic)))
    assert responses(dispatcher) == [response]
    assert dispatcher.messages[0][f"service_{value}"] == getattr(row, value)


@pytest.mark.parametrize(
    ("topic", "intent", "response", "detail"),
    [
        ("sundhedspleje", "ask_location", "utter_service_location", "address"),
        ("tandpleje", "ask_opening_hours", "utter_service_hours", "opening_hours"),
        ("dagtilbud", "ask_contact_details", "utter_service_contact", "phone"),
        ("familieraadgivning", "affirm", "utter_service_contact", "phone"),
    ],
)
def test_where_and_when_come_from_the_topics_unit(
    catalogue: Session, topic: str, intent: str, response: str, detail: str
) -> None:
    row = get_service(catalogue, topic)
    assert row is not None
    unit = current_municipality().units[row.unit]
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker(intent, events=answered(topic)))
    assert responses(dispatcher) == [response]
    assert dispatcher.messages[0][f"unit_{detail.replace('opening_', '')}"] == getattr(unit, detail)


def test_a_follow_up_naming_another_service_is_answered_about_that_service(catalogue: Session) -> None:
    asked = tracker("ask_audience", events=answered("ungeindsats"))
    asked.latest_message["text"] = "og hvad med fritidsjob, kan hun få hjælp til det også?"
    dispatcher, events = run(ActionAnswerServiceDetail(), asked)
    assert SlotSet("service_topic", "fritidsjob") in events
    assert dispatcher.messages[0]["service_answer"] == get_service(catalogue, "fritidsjob").answer  # type: ignore[union-attr]


def test_after_the_course_information_a_follow_up_is_about_the_course(catalogue: Session) -> None:
    events = [*answered("tandpleje"), {"event": "action", "name": "utter_course_info"}]
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_price", events=events))
    assert dispatcher.messages[0]["service_price"] == get_service(catalogue, "familie_med_hjerte").price  # type: ignore[union-attr]


def test_inside_the_course_forms_a_follow_up_is_about_the_course_until_a_service_is_answered(
    catalogue: Session,
) -> None:
    asked_in_the_look_up = [
        {"event": "user", "parse_data": {"intent": {"name": "check_enrollment"}}},
        {"event": "action", "name": "enrollment_lookup_form"},
    ]
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_price", events=asked_in_the_look_up))
    assert dispatcher.messages[0]["service_price"] == get_service(catalogue, "familie_med_hjerte").price  # type: ignore[union-attr]
    # A service question in the middle: answered, then the form asks again in the same turn.
    answered_then_asked_again = [*asked_in_the_look_up, *answered("sundhedspleje")]
    answered_then_asked_again.append({"event": "action", "name": "enrollment_lookup_form"})
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_read_more", events=answered_then_asked_again))
    sundhedspleje = get_service(catalogue, "sundhedspleje")
    assert sundhedspleje is not None and dispatcher.messages[0]["service_read_more"] == sundhedspleje.read_more
    # The course asked about in the middle of another form.
    in_form = [*answered("tandpleje"), {"event": "action", "name": "utter_course_info_in_form"}]
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_price", events=in_form))
    assert dispatcher.messages[0]["service_price"] == get_service(catalogue, "familie_med_hjerte").price  # type: ignore[union-attr]


def test_a_follow_up_with_no_topic_gets_the_general_contact(catalogue: Session) -> None:
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_opening_hours"))
    kontakt = get_service(catalogue, "kontakt")
    assert kontakt is not None
    assert dispatcher.messages[0]["unit_hours"] == current_municipality().units[kontakt.unit].opening_hours


def test_database_down_falls_back_to_the_domain_text_and_the_municipality_file(database_down: None) -> None:
    dispatcher, events = run(ActionAnswerService(), tracker("faq", topic="underretning"))
    assert responses(dispatcher) == ["utter_faq/underretning", "utter_service_contact", "utter_concern_offer_person"]
    assert dispatcher.messages[1]["unit_phone"] == current_municipality().phone
    assert events == [SlotSet("service_topic", "underretning")]


def test_database_down_follow_up_still_gives_where_to_ask(database_down: None) -> None:
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_price", events=answered("tandpleje")))
    assert responses(dispatcher) == ["utter_faq/tandpleje", "utter_service_contact"]
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_opening_hours", events=answered("tandpleje")))
    assert responses(dispatcher) == ["utter_service_hours"]


def test_every_response_the_actions_use_is_in_the_domain(domain: dict[str, Any]) -> None:
    used = {
        "utter_service_answer",
        "utter_service_next_step",
        "utter_which_service",
        "utter_service_price",
        "utter_service_audience",
        "utter_service_read_more",
        "utter_service_location",
        "utter_service_hours",
        "utter_service_contact",
        "utter_concern_offer_person",
    } | {f"utter_faq/{topic}" for topic in FAQ_TOPICS}
    assert used <= set(domain["responses"])


def test_a_price_question_with_no_topic_is_about_the_course(catalogue: Session) -> None:
    dispatcher, _ = run(ActionAnswerServiceDetail(), tracker("ask_price"))
    assert dispatcher.messages[0]["service_price"] == get_service(catalogue, "familie_med_hjerte").price  # type: ignore[union-attr]


def test_the_hours_asked_first_are_the_municipalitys_and_its_contact_is_the_topic(catalogue: Session) -> None:
    dispatcher, events = run(ActionAnswerServiceDetail(), tracker("ask_opening_hours"))
    assert responses(dispatcher) == ["utter_service_hours"]
    row = get_service(catalogue, "kontakt")
    assert row is not None
    assert dispatcher.messages[0]["unit_hours"] == current_municipality().unit(row.unit).opening_hours
    assert events == [SlotSet("service_topic", "kontakt")]
    # Asked after a service was answered: that service's hours, and its topic stays.
    dispatcher, events = run(ActionAnswerServiceDetail(), tracker("ask_opening_hours", events=answered("dagtilbud")))
    assert events == []


def checked_in(held: str) -> list[dict[str, Any]]:
    """Events of a conversation where the danger layer answered `held` with the check-in."""
    return [
        {"event": "user", "text": held, "parse_data": {"intent": {"name": "possible_distress"}}},
        {"event": "action", "name": "utter_danger_check_in"},
        {
            "event": "bot",
            "text": "Er du eller et barn i fare lige nu?",
            "metadata": {"utter_action": "utter_danger_check_in"},
        },
        {"event": "action", "name": "action_pause_for_check_in"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "...", "parse_data": {"intent": {"name": "faq"}}},
    ]


def test_a_service_question_the_check_in_held_back_is_answered_before_the_next_one(catalogue: Session) -> None:
    held = "min kone græder hele tiden siden fødslen, kan det være en efterfødselsreaktion? hvor får hun hjælp"
    dispatcher, events = run(ActionAnswerService(), tracker("faq", topic="tandpleje", events=checked_in(held)))
    # The held question briefly (its answer, no next step), then the new one in full.
    assert responses(dispatcher) == ["utter_service_answer", "utter_service_answer", "utter_service_next_step"]
    assert events == [SlotSet("service_topic", "efterfoedselsreaktion"), SlotSet("service_topic", "tandpleje")]
    # The same service asked again, or a check-in that named none: one answer.
    dispatcher, events = run(
        ActionAnswerService(), tracker("faq", topic="efterfoedselsreaktion", events=checked_in(held))
    )
    assert events == [SlotSet("service_topic", "efterfoedselsreaktion")]
    dispatcher, events = run(
        ActionAnswerService(), tracker("faq", topic="tandpleje", events=checked_in("jeg kan ikke mere"))
    )
    assert events == [SlotSet("service_topic", "tandpleje")]
    # A check-in further back holds nothing.
    earlier = [*checked_in(held), {"event": "user", "text": "nej", "parse_data": {"intent": {"name": "deny"}}}]
    _, events = run(ActionAnswerService(), tracker("faq", topic="tandpleje", events=earlier))
    assert events == [SlotSet("service_topic", "tandpleje")]
