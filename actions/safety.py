"""Danger first: when a message signals risk to the writer or a child, the
assistant has already named 112 and the help lines (utter_distress_help);
this action queues the conversation for staff with priority critical and
leaves any form, whatever was going on; the contact wish comes next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import contact_details
from actions.handover import PAUSABLE_FORMS, handoff_events, open_case


class ActionEscalateDistress(Action):
    def name(self) -> str:
        return "action_escalate_distress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        active_form = (tracker.active_loop or {}).get("name")
        stored = open_case(tracker, reason="distress", priority="critical")
        # The help lines are already given; the phone number below needs no database.
        dispatcher.utter_message(response="utter_distress_contact" if stored else "utter_distress_not_queued",
                                 **contact_details())
        return handoff_events(stored, active_form if active_form in PAUSABLE_FORMS else None)
