"""Rasa's REST channel, which also takes the client's message id (runs
inside the Rasa server; only the tests and benchmarks turn it on:
tests/credentials_rest.yml).

POST /webhooks/rest/webhook {"sender", "message", "message_id"?}: a request
that failed is sent again with the same `message_id`, and when the first
copy was handled, its answer is the stored turn's bot messages; the turn is
not handled twice (bot/rasa_server/resend.py). An id that is not a short
string of letters, digits and hyphens is ignored, as a request without one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from bot.rasa_server.resend import taking_client_message_ids, with_client_id


class RestInputWithMessageIds(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"  # the same URL as Rasa's: /webhooks/rest/webhook

    def get_metadata(self, request: Request) -> Any:
        body = request.json if isinstance(request.json, dict) else {}
        return with_client_id(super().get_metadata(request), body.get("message_id"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint: Blueprint = super().blueprint(taking_client_message_ids(on_new_message))
        return blueprint
