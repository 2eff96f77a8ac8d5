from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import phrased_as_a_question
from actions.services import ActionAnswerServiceDetail
from actions.youth_identity import redeem_unread_code

MISUNDERSTOOD_BEFORE_OFFERING_A_PERSON = 2
SERVICE_ANSWERS = ("action_answer_service", "action_answer_service_detail")


def just_answered_a_service(tracker: Tracker) -> bool:
    """Whether the assistant's last turn answered a question about a service."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                return False
        elif users == 1 and event.get("event") == "action" and event.get("name") in SERVICE_ANSWERS:
            return bool(tracker.get_slot("service_topic"))
    return False


def misunderstood_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    """First misunderstanding: ask to rephrase. Second in a row: offer a person."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        if not text:
            dispatcher.utter_message(response="utter_empty_message")
            return [UserUtteranceReverted()]
        redeemed = redeem_unread_code(dispatcher, tracker)
        if redeemed is not None:
            return redeemed
        if phrased_as_a_question(text) and just_answered_a_service(tracker):
            # "fra hvilken alder og til hvornår?" right after the answer about dental care:
            # a question about that service, answered with what more there is to read about it
            return await ActionAnswerServiceDetail().run(dispatcher, tracker, domain)
        if misunderstood_in_a_row(tracker) >= MISUNDERSTOOD_BEFORE_OFFERING_A_PERSON:
            dispatcher.utter_message(response="utter_offer_person")
            return []
        dispatcher.utter_message(response="utter_default")
        # Forget the misunderstood message so the conversation continues as if
        # it was never sent (the counter reads the raw events, not the story).
        return [UserUtteranceReverted()]
