"""The satisfaction question after a goal an action reached (an enrolment
saved, a young person's change saved): the offer is written in the action's
transaction, and the widget's message (`utter_satisfaction_offer`, a custom
payload the widget shows as a small form) is one of the replies sent after
the commit. Only the widget asks it: other channels (SMS, the REST channel)
get no offer. A young person, who may save several changes, is asked at
most once a conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.transaction import Reply, Transaction
from bot.db.satisfaction import create_offer

WIDGET_CHANNEL = "socketio"
OFFER_RESPONSE = "utter_satisfaction_offer"


def asked_before(tracker: Tracker) -> bool:
    """Whether the conversation already got the question (from an action or from staff)."""
    return any(
        event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == OFFER_RESPONSE
        for event in tracker.events
    )


def satisfaction_replies(
    session: Session, tracker: Tracker, goal: str, team: str | None = None, *, once: bool = False
) -> list[Reply]:
    """The offer's reply (and its row in the session's transaction), or none."""
    channel = tracker.get_latest_input_channel()
    if channel != WIDGET_CHANNEL or (once and asked_before(tracker)):
        return []
    nonce = create_offer(session, goal, channel=channel, team=team)
    values: dict[str, Any] = {"satisfaction_offer": nonce}
    return [(OFFER_RESPONSE, values)]


def offer_satisfaction(tx: Transaction, tracker: Tracker, goal: str, team: str | None = None) -> None:
    tx.reply_all(satisfaction_replies(tx.session, tracker, goal, team))
