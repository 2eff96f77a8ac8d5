"""The sms channel (runs inside the Rasa server, in .venv/rasa): texts from
a GatewayAPI-style gateway, posted to /webhooks/sms/webhook.

The channel is thin; the application owns every stored thing (bot/sms/app.py,
an internal app on 127.0.0.1 that needs SMS_INTERNAL_SECRET):

1. The JWT in `X-Gwapi-Signature` (HS256, SMS_WEBHOOK_SECRET) is checked
   before anything else; the message is taken from its signed claims, never
   from the body. Missing or wrong: 401, and nothing is stored.
2. The application registers the message id and answers whether it is a
   retry of one already handled (acknowledged, not processed again), a STOP
   or START it handled itself, a text past the number's limit (acknowledged
   and dropped, so the gateway does not retry it; the application tells the
   number to wait once a minute, not once per text), and otherwise the
   conversation (one per number, "sms-" and an HMAC of it), the young person
   the number is registered to, and the text (an answer "2" to numbered
   choices becomes the offered button's payload).
3. The webhook answers at once; Rasa handles the message in the background.
   Its replies go to the application's outbox, which renders, queues and
   sends them; staff replies and reminders (Rasa's HTTP API with output
   channel "latest" or "sms") take the same way.

Identity: the number is asserted by the network (the gateway signed it), as
the website's token is by the municipality's site. The launcher
(bot/rasa_server/launcher.py) takes a profile id or `sms_unregistered` from a
message only when it is an `SmsUserMessage`, an object only this channel
makes: a REST or widget message that names the sms channel or puts these
names in its metadata gets nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import jwt
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.shared.protocol import (
    REMINDER_RESPONSE,
    SMS_INBOUND_PATH,
    SMS_OUTBOX_PATH,
    SMS_SECRET_HEADER,
    SMS_STATUS_PATH,
    SMS_UNREGISTERED,
    VERIFIED_BY,
    VERIFIED_PROFILE_ID,
)
from bot.shared.settings import Settings, load_settings

logger = logging.getLogger(__name__)
CHANNEL = "sms"
SIGNATURE_HEADER = "X-Gwapi-Signature"
TIMEOUT = aiohttp.ClientTimeout(total=10)
# Below uvicorn's 5 s, so the SMS app never closes a connection the channel is about to reuse.
KEEPALIVE = 2.0
_SESSIONS: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}


def app_session() -> aiohttp.ClientSession:
    """One client (and its kept-alive connections) per event loop: a new session and
    connection per call cost the acknowledgement a few more turns of the loop."""
    loop = asyncio.get_running_loop()
    session = _SESSIONS.get(loop)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE)
        session = _SESSIONS[loop] = aiohttp.ClientSession(timeout=TIMEOUT, connector=connector)
    return session


async def close_app_session() -> None:
    session = _SESSIONS.pop(asyncio.get_running_loop(), None)
    if session is not None:
        await session.close()


class SmsUserMessage(UserMessage):
    """A text whose sender the gateway signed: what the Rasa server may assert about it."""

    def __init__(self, *args: Any, asserted: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asserted = asserted


def asserted_by_sms(message: Any) -> dict[str, Any] | None:
    """The identity the sms channel asserts for a message; None for every other channel's message."""
    return dict(message.asserted) if isinstance(message, SmsUserMessage) else None


def verified_claims(token: str, secret: str) -> dict[str, Any] | None:
    if not token or not secret:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_aud": False})
    except jwt.PyJWTError:
        return None
    return claims if isinstance(claims, dict) else None


async def call_app(settings: Settings, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {SMS_SECRET_HEADER: settings.sms_internal_secret}
    async with app_session().post(f"{settings.sms_app_url}{path}", json=body, headers=headers) as answer:
        answer.raise_for_status()
        result: dict[str, Any] = await answer.json()
        return result


class SmsOutput(OutputChannel):
    """Hands each of the assistant's messages to the application's outbox."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def _outbox(self, recipient_id: str, message: dict[str, Any], kind: str = "reply") -> None:
        body = {"conversation_id": recipient_id, "messages": [message], "kind": kind}
        try:
            await call_app(self.settings, SMS_OUTBOX_PATH, body)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("sms: the outbox did not take a message: %s", type(error).__name__)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        buttons = message.get("buttons") or message.get("quick_replies") or []
        text = str(message.get("text") or "")
        image = str(message.get("image") or "")
        if text or image or buttons:
            await self._outbox(
                recipient_id,
                {
                    "text": text,
                    "image": image,
                    "buttons": [
                        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                        for b in buttons
                        if isinstance(b, dict)
                    ],
                },
                kind="reminder" if message.get("utter_action") == REMINDER_RESPONSE else "reply",
            )

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._outbox(recipient_id, {"text": text})


class SmsInput(InputChannel):
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.tasks: set[asyncio.Task[Any]] = set()

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()  # everything it needs is in the settings (the environment)

    def done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("sms: handling a text failed: %s", type(task.exception()).__name__)

    def get_output_channel(self) -> OutputChannel | None:
        return SmsOutput(self.settings)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("sms_webhook", __name__)
        settings = self.settings

        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> HTTPResponse:
            claims = verified_claims(request.headers.get(SIGNATURE_HEADER, ""), settings.sms_webhook_secret)
            if claims is None:
                logger.warning("sms: a webhook call without a valid signature was refused")
                return response.json({"error": "invalid signature"}, status=401)
            try:
                if "status" in claims and "message" not in claims:
                    await call_app(settings, SMS_STATUS_PATH, {"id": str(claims["id"]), "status": claims["status"]})
                    return response.json({"status": "ok"})
                if not all(key in claims for key in ("id", "msisdn", "message")):
                    return response.json({"error": "missing claims"}, status=400)
                body = {"id": str(claims["id"]), "msisdn": str(claims["msisdn"]), "message": str(claims["message"])}
                answer = await call_app(settings, SMS_INBOUND_PATH, body)
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                # Not registered: the gateway retries later.
                logger.warning("sms: the application did not register a message: %s", type(error).__name__)
                return response.json({"error": "try again"}, status=503)
            if answer.get("duplicate") or answer.get("handled"):
                return response.json({"status": "ok"})
            profile_id = answer.get("profile_id")
            asserted: dict[str, Any] = (
                {VERIFIED_PROFILE_ID: int(profile_id), VERIFIED_BY: CHANNEL}
                if isinstance(profile_id, int)
                else {SMS_UNREGISTERED: True}
            )
            message = SmsUserMessage(
                str(answer.get("text") or ""),
                SmsOutput(settings),
                str(answer["conversation_id"]),
                input_channel=CHANNEL,
                message_id=body["id"],
                metadata={},
                asserted=asserted,
            )
            task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(handle(message))
            self.tasks.add(task)
            task.add_done_callback(self.done)
            return response.json({"status": "ok"})

        async def handle(message: UserMessage) -> None:
            await on_new_message(message)

        async def stopped(*_args: Any) -> None:
            await close_app_session()

        webhook.after_server_stop(stopped)
        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])
        return webhook
