from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.shared.municipality import session_slots


class ActionSessionStart(Action):
    """Start each session with the municipality's contact details in slots, so
    every response can name the phone number and opening hours."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events += [SlotSet(name, value) for name, value in session_slots().items()]
        events.append(ActionExecuted("action_listen"))
        return events
