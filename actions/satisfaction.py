"""The satisfaction question after a goal an action reached (an enrolment
saved): the offer is written in the action's transaction, and the widget's
message (`utter_satisfaction_offer`, a custom payload the widget shows as a
small form) is one of the replies sent after the commit. Only the widget
asks it: other channels (SMS, the REST channel) get no offer."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.transaction import Transaction
from bot.db.satisfaction import create_offer

WIDGET_CHANNEL = "socketio"


def offer_satisfaction(tx: Transaction, tracker: Tracker, goal: str, team: str | None = None) -> None:
    channel = tracker.get_latest_input_channel()
    if channel != WIDGET_CHANNEL:
        return
    nonce = create_offer(tx.session, goal, channel=channel, team=team)
    tx.reply("utter_satisfaction_offer", satisfaction_offer=nonce)
