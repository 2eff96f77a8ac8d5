"""The action server (runs in .venv/app): Rasa SDK's own server with the
actions of actions/, open to the Rasa server only.

- It listens on 127.0.0.1 unless ACTION_SERVER_HOST says otherwise (a
  deployment with the two servers on separate machines).
- /ready (open, like Rasa SDK's /health) says whether the municipal
  database answers: 200 or 503, for the runner and a readiness probe.
- Every route but /health and /ready needs `Authorization: Bearer <ACTION_SERVER_TOKEN>`,
  which endpoints.yml has the Rasa server send: without it, the action server
  would run any action on any tracker a caller makes up (another young
  person's meetings, a cancelled enrollment).
- An action that fails answers 500 without echoing the request: Rasa SDK's
  own handler returns the whole tracker, with the conversation in it.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.db.session import database_answers, default_sessionmaker
from bot.shared.cpr import mask_log_records
from bot.shared.settings import load_settings

logger = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health", "/ready"})


def authorised(request: Request, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def build_app(token: str) -> Sanic:
    app = create_app("actions", cors_origins=[])

    @app.on_request  # type: ignore[untyped-decorator]  # Sanic's decorators are untyped
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or authorised(request, token):
            return None
        logger.warning("action server: request to %s without a valid token refused", request.path)
        return response.json({"error": "unauthorised"}, status=401)

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action server: %s failed: %s", request.path, type(exception).__name__, exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    app.error_handler.add(Exception, failed)

    @app.get("/ready")  # type: ignore[untyped-decorator]
    async def ready(request: Request) -> HTTPResponse:
        answers = await asyncio.get_running_loop().run_in_executor(None, database_answers, default_sessionmaker())
        if not answers:
            return response.json({"status": "database unavailable"}, status=503)
        return response.json({"status": "ok"})

    built: Sanic = app
    return built


def main() -> None:
    mask_log_records()
    settings = load_settings()
    utils.configure_colored_logging(settings.log_level)
    app = build_app(settings.action_server_token)
    app.run(settings.action_server_host, settings.action_server_port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
