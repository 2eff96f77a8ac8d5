"""Rasa's HTTP API (with the token), for the staff app and the reminder job:
read a transcript; put a staff member's message (and the pause/resume around
a takeover) into a conversation; trigger an external event (a reminder).
Messages go out on the channel the person last wrote from."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or refused the request."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 10) -> None:
        self.base_url, self.token, self.timeout = base_url.rstrip("/"), token, timeout

    def _url(self, conversation_id: str, path: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{path}"

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        try:
            response = httpx.get(self._url(conversation_id, "tracker"), timeout=self.timeout,
                                 params={"token": self.token, "include_events": "ALL"})
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        tracker: dict[str, Any] = response.json()
        return tracker

    def append(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Add events; bot messages among them are sent to the citizen's latest channel."""
        try:
            response = httpx.post(self._url(conversation_id, "tracker/events"), json=events, timeout=self.timeout,
                                  params={"token": self.token, "output_channel": "latest",
                                          "execute_side_effects": "true"})
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error


    def trigger_intent(self, conversation_id: str, intent: str, entities: dict[str, str]) -> None:
        """An external event: Rasa runs the conversation's rule for `intent` and sends the reply."""
        try:
            response = httpx.post(self._url(conversation_id, "trigger_intent"), timeout=self.timeout,
                                  json={"name": intent, "entities": entities},
                                  params={"token": self.token, "output_channel": "latest"})
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error


def bot_message(text: str, staff: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": time.time(), "metadata": {"staff": staff}}


PAUSE: dict[str, Any] = {"event": "pause"}
RESUME: dict[str, Any] = {"event": "resume"}
# After a resume the assistant listens, as after any turn of its own.
LISTEN: dict[str, Any] = {"event": "action", "name": "action_listen"}
