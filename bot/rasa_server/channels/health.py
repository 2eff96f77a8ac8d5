"""GET /webhooks/health/ready: whether this Rasa server can take a turn now.

200 when the model is loaded and the tracker store answers a read; 503 (with
which of the two failed) otherwise. The runner waits for it at start-up and
after restarting a process (bot/runner.py), and a deployment's readiness
probe asks it. Open on purpose: it needs no secret and tells nothing but
ready or not. Rasa's own /status needs the API's JWT, and is 200 while the
tracker store is down.

A channel because channels are Rasa's extension point for routes
(credentials.yml); it takes no messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

PROBE_CONVERSATION = "readiness-probe"  # read, never written
TRACKER_STORE_TIMEOUT = 5.0


async def not_ready_because(agent: Any) -> str | None:
    if agent is None or not agent.is_ready():
        return "no model"
    try:
        await asyncio.wait_for(agent.tracker_store.retrieve(PROBE_CONVERSATION), TRACKER_STORE_TIMEOUT)
    except Exception as error:  # any failure of the store means: not ready
        logger.warning("readiness: the tracker store did not answer (%s)", type(error).__name__)
        return "tracker store unavailable"
    return None


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("health_webhook", __name__)

        @health.route("/ready", methods=["GET"])  # type: ignore[untyped-decorator]  # Sanic is untyped
        async def ready(request: Request) -> HTTPResponse:
            reason = await not_ready_because(request.app.ctx.agent)
            if reason:
                return response.json({"status": reason}, status=503)
            return response.json({"status": "ok"})

        return health
