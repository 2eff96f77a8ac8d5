"""Rasa's HTTP API, for the staff app, the reminder job and the tests: read a
transcript; put a staff member's message (and the pause/resume around a
takeover) into a conversation; trigger an external event (a reminder).
Messages go out on the channel the person last wrote from.

Every request carries a short-lived JWT (HS256, signed with RASA_API_SECRET)
in its Authorization header, which Rasa checks (`--jwt-secret`, given to it
by bot/rasa_server/launcher.py from the environment): the secret itself is never in a
URL, a log line or a process's arguments."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import quote

import httpx

TOKEN_LIFETIME = 300  # seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def api_token(secret: str, lifetime: int = TOKEN_LIFETIME) -> str:
    """A JWT with the admin role that Rasa's HTTP API accepts until it expires."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    now = int(time.time())
    claims = {"user": {"username": "municipal-assistant", "role": "admin"}, "iat": now, "exp": now + lifetime}
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def api_headers(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(secret)}"}


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or refused the request."""


class RasaClient:
    def __init__(self, base_url: str, secret: str, timeout: float = 10) -> None:
        self.base_url, self.secret, self.timeout = base_url.rstrip("/"), secret, timeout

    def _url(self, conversation_id: str, path: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{path}"

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        try:
            response = httpx.get(
                self._url(conversation_id, "tracker"),
                timeout=self.timeout,
                params={"include_events": "ALL"},
                headers=api_headers(self.secret),
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        tracker: dict[str, Any] = response.json()
        return tracker

    def append(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Add events; bot messages among them are sent to the citizen's latest channel."""
        try:
            response = httpx.post(
                self._url(conversation_id, "tracker/events"),
                json=events,
                timeout=self.timeout,
                params={"output_channel": "latest", "execute_side_effects": "true"},
                headers=api_headers(self.secret),
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error

    def trigger_intent(
        self, conversation_id: str, intent: str, entities: dict[str, str], output_channel: str = "latest"
    ) -> None:
        """An external event: Rasa runs the conversation's rule for `intent` and sends the reply
        on the conversation's latest channel (or the one named: "sms" for a text)."""
        try:
            response = httpx.post(
                self._url(conversation_id, "trigger_intent"),
                timeout=self.timeout,
                json={"name": intent, "entities": entities},
                params={"output_channel": output_channel},
                headers=api_headers(self.secret),
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error


def bot_message(text: str, staff: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": time.time(), "metadata": {"staff": staff}}


PAUSE: dict[str, Any] = {"event": "pause"}
RESUME: dict[str, Any] = {"event": "resume"}
# After a resume the assistant listens, as after any turn of its own.
LISTEN: dict[str, Any] = {"event": "action", "name": "action_listen"}
