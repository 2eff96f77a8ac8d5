from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.youth_identity import redeem_unread_code

MISUNDERSTOOD_BEFORE_OFFERING_A_PERSON = 2


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
        if misunderstood_in_a_row(tracker) >= MISUNDERSTOOD_BEFORE_OFFERING_A_PERSON:
            dispatcher.utter_message(response="utter_offer_person")
            return []
        dispatcher.utter_message(response="utter_default")
        # Forget the misunderstood message so the conversation continues as if
        # it was never sent (the counter reads the raw events, not the story).
        return [UserUtteranceReverted()]
