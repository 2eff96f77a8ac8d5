"""The widget's satisfaction question the staff app sends when a staff
member closes a case they had taken (bot/staff/cases.py): the domain's
`utter_satisfaction_offer` (domain/core.yml, a custom payload; the domain is
the one place for every text citizens read) with the offer's nonce, as a
bot event for Rasa's HTTP API. Rasa sends a custom payload's "data" as the
socket.io message; the sms channel sends nothing for a message without text."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Any

from bot.domain import load_domain

RESPONSE = "utter_satisfaction_offer"
_VARIABLE = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    custom: dict[str, Any] = load_domain()["responses"][RESPONSE][0]["custom"]
    return custom


def _filled(item: Any, values: dict[str, str]) -> Any:
    if isinstance(item, str):
        return _VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), item)
    if isinstance(item, dict):
        return {key: _filled(value, values) for key, value in item.items()}
    if isinstance(item, list):
        return [_filled(value, values) for value in item]
    return item


def satisfaction_offer(nonce: str, staff: str) -> dict[str, Any]:
    """The bot event that carries the question (and the offer's nonce) to the widget."""
    return {
        "event": "bot",
        "text": None,
        "data": {"custom": _filled(_template(), {"satisfaction_offer": nonce})},
        "timestamp": time.time(),
        "metadata": {"staff": staff, "utter_action": RESPONSE},
    }
