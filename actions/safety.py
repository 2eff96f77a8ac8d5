"""Danger first: when a message signals risk to the writer or a child, the
assistant has already named 112 and the help lines (utter_distress_help);
this action queues the conversation for staff with priority critical and
leaves any form, whatever was going on."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.common import contact_details, sessions
from bot.db.escalations import open_escalation

SUMMARY_MESSAGES = 3


def summary(tracker: Tracker) -> str:
    """The latest user messages and what they were understood as (CPR numbers are already masked)."""
    users = [event for event in tracker.events if event.get("event") == "user"][-SUMMARY_MESSAGES:]
    lines = [f"{(e.get('parse_data') or {}).get('intent', {}).get('name', '?')}: {e.get('text') or ''}"
             for e in users]
    return "\n".join(lines)


class ActionEscalateDistress(Action):
    def name(self) -> str:
        return "action_escalate_distress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            with sessions().begin() as session:
                open_escalation(session, conversation_id=tracker.sender_id,
                                channel=tracker.get_latest_input_channel() or "unknown", reason="distress",
                                priority="critical", summary=summary(tracker))
        except SQLAlchemyError:
            pass  # the help lines are already given; the phone number below does not need the database
        dispatcher.utter_message(response="utter_distress_contact", **contact_details())
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
