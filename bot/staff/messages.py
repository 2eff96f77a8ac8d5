"""The Danish texts the staff app sends into a citizen's chat: the domain's
utter_staff_* responses (domain/handover.yml; the domain is the one place for
every text citizens read), and the widget's satisfaction question
(utter_satisfaction_offer, domain/core.yml) after a case is closed."""

from __future__ import annotations

import time
from typing import Any

from bot.domain import render_custom
from bot.domain import render_response as render

__all__ = ["render", "satisfaction_offer"]


def satisfaction_offer(nonce: str, staff: str) -> dict[str, Any]:
    """The bot event that carries the question to the widget (Rasa sends a
    custom payload's "data" as the socket.io message; the sms channel sends
    nothing for a message without text)."""
    custom = render_custom("utter_satisfaction_offer", satisfaction_offer=nonce)
    return {
        "event": "bot",
        "text": None,
        "data": {"custom": custom},
        "timestamp": time.time(),
        "metadata": {"staff": staff, "utter_action": "utter_satisfaction_offer"},
    }
