"""Answers about the municipality's support services.

The ResponseSelector tells which topic a question is about (faq/<topic>); the
text comes from the topic's `services` row, so an answer staff edit is used in
the next conversation without retraining. If the table cannot be read, the
domain's utter_faq/<topic> text is the fallback, with contact details from the
municipality file.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import latest_intent
from actions.transaction import Transaction
from bot.db.services import get_service
from bot.service_replies import (
    CONCERN_TOPICS,
    COURSE_TOPIC,
    RETRIEVAL_INTENT,
    TOPIC_SLOT,
    ServiceText,
    answer_replies,
    detail_values,
)
from bot.shared.municipality import Unit, course_details, current_municipality
from bot.shared.service_words import only_named_topic

GENERAL_TOPIC = "kontakt"
CHECK_IN = "utter_danger_check_in"  # the danger layer's "are you or a child in danger now?"
DETAIL_ACTION = "action_answer_service_detail"
# Bot actions after which a follow-up like "er det gratis?" is about the course.
COURSE_ACTIONS = {"utter_course_info", "utter_course_info_in_form", "action_submit_enrollment"}
# The course's forms too, unless they only asked their question again after a
# service answer in the same turn: then that service is what was talked about.
COURSE_FORMS = {"enrollment_form", "enrollment_lookup_form"}

DETAIL_RESPONSES = {
    "ask_price": "utter_service_price",
    "ask_audience": "utter_service_audience",
    "ask_read_more": "utter_service_read_more",
    "ask_location": "utter_service_location",
    "ask_opening_hours": "utter_service_hours",
    "ask_contact_details": "utter_service_contact",
    "affirm": "utter_service_contact",  # yes to "Vil du have nummeret?"
    "nlu_fallback": "utter_service_read_more",  # a question about it not understood (actions/fallback.py)
}
# Answers that need the row's own text; the others need only the unit.
NEEDS_ROW = {"utter_service_price", "utter_service_audience", "utter_service_read_more"}
ABOUT_THE_OFFER = {"ask_price", "ask_audience", "ask_read_more"}


def read_service(session: Session, topic: str) -> ServiceText | None:
    """The topic's texts, read afresh on every answer; None if there is no such row."""
    row = get_service(session, topic)
    return None if row is None else ServiceText.of(row)


def read_titles(session: Session, topics: list[str]) -> dict[str, str]:
    return {topic: row.title for topic in topics if (row := get_service(session, topic)) is not None}


def read_from_database(
    dispatcher: CollectingDispatcher, where: str, topic: str, with_titles: bool = False
) -> tuple[ServiceText | None, dict[str, str]]:
    """The topic's texts and its related topics' titles; (None, {}) when the
    database cannot be read (no reply: the domain's text is the fallback)."""
    with Transaction(dispatcher, where, error_reply=None) as tx:
        service = read_service(tx.session, topic)
        titles = read_titles(tx.session, service.related) if service is not None and with_titles else {}
    return (None, {}) if tx.failed else (service, titles)


# The ResponseSelector is either sure of a service question's topic (0.97-1.0
# on the blind sets) or guessing (0.1-0.4): "kan man også være anonym?" after
# an answer about reporting a concern went to the mentor topic at 0.18.
SURE_OF_THE_TOPIC = 0.5
# Sure enough to answer another service than the one a question names by its own word.
SURE_OF_A_NAMED_TOPIC = 0.9


def asked_topic(tracker: Tracker) -> str | None:
    """The topic of the latest message: a button's entity, else the
    ResponseSelector's pick, unless it picked the general contact, or was
    not sure of another service, and the question names one service by its
    own word: an English question about applying for day care (kontakt at
    0.65, third blind set) asks how to reach day care, whose unit has the
    contact details, and signing a child up for a kindergarten is day care,
    not family counselling at 0.70 (bot/shared/service_words.py)."""
    return topic_of_message(tracker.latest_message)


def topic_of_message(message: dict[str, Any]) -> str | None:
    """`asked_topic` for a parsed message (Rasa's parse data): also what the NLU
    gate measures (tests/e2e/test_nlu_gate.py), the topic a question is answered by."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == TOPIC_SLOT and entity.get("value"):
            return str(entity["value"])
    selected = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    key = (selected.get("response") or {}).get("intent_response_key") or ""
    topic = key.split("/", 1)[1] if "/" in key else None
    named = only_named_topic(str(message.get("text") or ""))
    sure = float((selected.get("response") or {}).get("confidence") or 0) >= SURE_OF_A_NAMED_TOPIC
    if named is not None and (topic == GENERAL_TOPIC or (topic != named and not sure)):
        return named
    return topic


def guessed_topic(tracker: Tracker) -> bool:
    """Whether the topic is the ResponseSelector's guess: not a button's, not
    a sure pick, and not the one service the question names."""
    if any(e.get("entity") == TOPIC_SLOT and e.get("value") for e in tracker.latest_message.get("entities") or []):
        return False
    named = only_named_topic(str(tracker.latest_message.get("text") or ""))
    if named is not None and named == asked_topic(tracker):
        return False
    selected = (tracker.latest_message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    confidence = (selected.get("response") or {}).get("confidence")
    return isinstance(confidence, (int, float)) and confidence < SURE_OF_THE_TOPIC


def current_topic(tracker: Tracker, intent: str) -> str:
    """What a follow-up question is about: the latest service answered, or the
    course if the course came up after it. With neither, "er det gratis?" is
    about the course this assistant offers, "hvornår har I åbent?" about the
    municipality in general."""
    in_course_form = False
    for event in reversed(tracker.events):
        kind, name = event.get("event"), event.get("name")
        if kind == "slot" and name == TOPIC_SLOT and event.get("value"):
            return str(event["value"])
        if kind == "action" and name in COURSE_ACTIONS:
            return COURSE_TOPIC
        in_course_form = in_course_form or (kind == "action" and name in COURSE_FORMS)
        if kind == "user" and in_course_form:
            return COURSE_TOPIC
    return COURSE_TOPIC if in_course_form or intent in ABOUT_THE_OFFER else GENERAL_TOPIC


def talked_about(tracker: Tracker) -> bool:
    return any(e.get("event") == "slot" and e.get("name") == TOPIC_SLOT and e.get("value") for e in tracker.events)


def unit_details(unit: Unit) -> dict[str, str]:
    return {
        "unit_name": unit.name,
        "unit_phone": unit.phone,
        "unit_email": unit.email,
        "unit_address": unit.address or "se kommunens hjemmeside",
        "unit_hours": unit.opening_hours,
        "unit_url": unit.url,
    }


class ActionAnswerService(Action):
    """Answer a question about a service briefly, then offer the next step."""

    def name(self) -> str:
        return "action_answer_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topic = asked_topic(tracker)
        held = held_by_check_in(tracker)
        if held is not None and held != topic:
            # The check-in passed over with a new question: the question it held back first, briefly.
            return [*answer_topic(dispatcher, self.name(), held, brief=True), *self.answer(dispatcher, tracker, topic)]
        return self.answer(dispatcher, tracker, topic)

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, topic: str | None) -> list[EventType]:
        if topic is not None and guessed_topic(tracker) and talked_about(tracker):
            # A follow-up the selector could only guess at is about the service just talked about.
            return answer_detail(dispatcher, tracker, "ask_read_more")
        if topic is None:
            dispatcher.utter_message(response="utter_which_service")
            return []
        return answer_topic(dispatcher, self.name(), topic)


def answer_topic(dispatcher: CollectingDispatcher, where: str, topic: str, *, brief: bool = False) -> list[EventType]:
    """The answer about `topic`, then its next step (`brief`: the answer alone)."""
    service, titles = read_from_database(dispatcher, where, topic, with_titles=not brief)
    if service is None:
        dispatcher.utter_message(response=f"utter_{RETRIEVAL_INTENT}/{topic}")
        if brief:
            return [SlotSet(TOPIC_SLOT, topic)]
        dispatcher.utter_message(
            response="utter_service_contact", **unit_details(current_municipality().unit(GENERAL_TOPIC))
        )
        if topic in CONCERN_TOPICS:
            dispatcher.utter_message(response="utter_concern_offer_person")
    else:
        for reply in answer_replies(service, titles)[: 1 if brief else None]:
            dispatcher.utter_message(response=reply.response, buttons=reply.buttons, **reply.values)
    return [SlotSet(TOPIC_SLOT, topic)]


def held_by_check_in(tracker: Tracker) -> str | None:
    """The service a message named by its own word when the danger layer
    answered it with the check-in ("Er du eller et barn i fare lige nu?")
    instead, if the check-in was the assistant's last question: the question
    is answered once the check-in is over ("Min datter græder meget, jeg er
    bange for at hun har fødselsdepression. Hvad kan hun få af hjælp?")."""
    users = 0
    for index in range(len(tracker.events) - 1, -1, -1):
        event = tracker.events[index]
        if event.get("event") == "user":
            users += 1
            if users > 1:
                return None
        elif event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == CHECK_IN:
            held = next((e for e in reversed(tracker.events[:index]) if e.get("event") == "user"), None)
            return only_named_topic(str(held.get("text") or "")) if held else None
    return None


class ActionAnswerServiceDetail(Action):
    """Answer a follow-up ("er det gratis?", "hvor ligger det?") for the current topic."""

    def name(self) -> str:
        return DETAIL_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return answer_detail(dispatcher, tracker, latest_intent(tracker) or "ask_contact_details")


def answer_detail(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[EventType]:
    """The detail the intent asks for (price, where, read more …) about the current topic;
    a follow-up that names another service ("og hvad med fritidsjob, kan hun få hjælp
    til det også?") is a question about that service, answered as one."""
    topic = current_topic(tracker, intent)
    named = only_named_topic(str(tracker.latest_message.get("text") or ""))
    if named is not None and named != topic:
        return answer_topic(dispatcher, DETAIL_ACTION, named)
    response = DETAIL_RESPONSES.get(intent, "utter_service_contact")
    service, _ = read_from_database(dispatcher, DETAIL_ACTION, topic)
    municipality = current_municipality()
    unit = municipality.unit(service.unit if service else topic)
    if service is None and response in NEEDS_ROW:
        # Without the row, the domain's short answer and whom to ask is what we can say.
        fallback = "utter_course_info" if topic == COURSE_TOPIC else f"utter_{RETRIEVAL_INTENT}/{topic}"
        dispatcher.utter_message(response=fallback, **course_details())
        response = "utter_service_contact"
    details = unit_details(unit)
    if service is not None:
        details |= detail_values(service)
    dispatcher.utter_message(response=response, **details)
    # "hvornår har I åbent?" with nothing talked about yet was answered for the
    # municipality in general: that is now the topic ("hvor ligger det?" next).
    return [SlotSet(TOPIC_SLOT, GENERAL_TOPIC)] if topic == GENERAL_TOPIC and not talked_about(tracker) else []
