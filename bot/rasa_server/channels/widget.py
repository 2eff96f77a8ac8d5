"""The chat widget's socket.io channel (runs inside the Rasa server, in
.venv/rasa): Rasa's own SocketIOInput, where knowing a conversation id is
not enough.

With Rasa's channel, a `session_request` joins whatever room it names, so
anyone who learns a conversation id (the staff app and logs show them) gets
its replies, staff answers and a young person's meetings included, and a
`user_uttered` may name any session id and write into that conversation.
Here the server issues every session: a random id and a signature of it
(HMAC-SHA256 with WIDGET_SESSION_SECRET), which the widget keeps and sends
back on `session_request`. Only a valid pair joins the room; anything else
gets a fresh session. The socket remembers which session it proved, and a
message is taken only for that session.

New sessions are limited per client address (`new_sessions_per_minute` in
the municipality file; with several Rasa servers counted together in Redis,
bot/rasa_server/shared_limits.py): a flood of made-up conversations (each one a case
for staff when it names a danger) stops there. Past the limit the socket
gets `session_refused` and the widget says to wait or call.

The widget keeps the conversation in the browser's localStorage. What the
conversation got while no widget was open (a staff answer to a closed
chat, a reply lost when the page closed mid-turn) the widget asks for on
every (re)connect with `history_request` {since: the server time of its last
sync}: the socket's own proven session only, whatever the request names, and
the answer (`history`) has the bot's and staff's messages after that time,
oldest first, and the time to ask from next (bot/web/static/widget.js puts
them after what it has, each once).

Every message of the widget carries its id (a uuid), and the widget keeps
it until this channel acknowledges it, when its turn is over. A message
still unacknowledged when the socket dropped (its server died mid-turn) is
sent again with the same id after the reconnect, whichever server takes it;
if the first copy was handled, the message is not handled again
(bot/rasa_server/resend.py), and its replies came then or come with the
history.

A message
of the citizen's with a CPR number is masked by the Rasa server before
anything stores it (bot/rasa_server/launcher.py), which then sends the widget the
masked text (`user_masked`, for the widget's own message id) so that the
widget replaces its copy and the text on screen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.rasa_server.channels.rooms import share_rooms
from bot.rasa_server.resend import taking_client_message_ids, with_client_id
from bot.rasa_server.shared_limits import SharedWindow
from bot.shared.municipality import current_municipality
from bot.shared.settings import load_settings

logger = logging.getLogger(__name__)
SESSION_KEY = "widget_session"
MASKED_EVENT = "user_masked"
HISTORY_EVENT = "history"
HISTORY_LIMIT = 100


def sign(session_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"widget-session:{session_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_session(secret: str) -> tuple[str, str]:
    session_id = secrets.token_hex(16)
    return session_id, sign(session_id, secret)


def valid(session_id: Any, token: Any, secret: str) -> bool:
    return (
        isinstance(session_id, str)
        and isinstance(token, str)
        and 0 < len(session_id) <= 64
        and hmac.compare_digest(sign(session_id, secret).encode(), token.encode())
    )


def since_of(data: Any) -> float | None:
    """The time a history request asks from: a plain number of seconds, or None."""
    since = data.get("since") if isinstance(data, dict) else None
    if isinstance(since, bool) or not isinstance(since, (int, float)):
        return None
    return float(since) if 0 <= since < 1e11 else None


def satisfaction_of(data: dict[str, Any]) -> dict[str, str] | None:
    """The satisfaction question a bot message carries (utter_satisfaction_offer's
    custom payload: {"data": {"satisfaction": {"offer", "question"}}}), or None."""
    custom = data.get("custom")
    inner = custom.get("data") if isinstance(custom, dict) else None
    offer = inner.get("satisfaction") if isinstance(inner, dict) else None
    if not isinstance(offer, dict):
        return None
    nonce, question = offer.get("offer"), offer.get("question")
    if not isinstance(nonce, str) or not isinstance(question, str):
        return None
    return {"offer": nonce, "question": question}


def messages_since(events: list[dict[str, Any]], since: float | None) -> dict[str, Any]:
    """The `history` answer from a tracker's events: the bot's messages after
    `since` (none for a first sync, which only learns the time), and the
    latest event's time."""
    until = max([float(event.get("timestamp") or 0) for event in events] + [since or 0.0])
    if since is None:
        return {"messages": [], "until": until}
    messages = []
    for event in events:
        if event.get("event") != "bot" or float(event.get("timestamp") or 0) <= since:
            continue
        data = event.get("data") or {}
        buttons = data.get("buttons") or data.get("quick_replies") or []
        message: dict[str, Any] = {
            "text": event.get("text") or "",
            "buttons": [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in buttons],
            "at": float(event.get("timestamp") or 0),
        }
        offer = satisfaction_of(data)
        if offer is not None:
            message["satisfaction"] = offer
        messages.append(message)
    return {"messages": messages[-HISTORY_LIMIT:], "until": until}


def client_address(environ: dict[str, Any] | None) -> str:
    """The client's address as the server saw it (a proxy in front sets Sanic's PROXIES_COUNT)."""
    request = (environ or {}).get("sanic.request")
    return str(getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "unknown")


class WidgetSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with sessions the server signs."""

    @classmethod
    def name(cls) -> str:
        return "socketio"  # the widget, the output channel and "latest channel" know it by this name

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(taking_client_message_ids(on_new_message))
        sio = self.sio
        assert sio is not None
        settings = load_settings()
        if settings.socketio_redis_url:
            share_rooms(sio, webhook, settings.socketio_redis_url, f"{settings.redis_prefix}:socketio")
        namespace = self.namespace or "/"
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]
        secret = settings.widget_session_secret
        new_sessions = SharedWindow(
            "sessions",
            current_municipality().security.new_sessions_per_minute,
            60,
            settings.limits_redis_url,
            settings.redis_prefix,
        )

        async def session_request(sid: str, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id, token = data.get("session_id"), data.get("session_token")
            if not valid(session_id, token, secret):
                if not await new_sessions.allow(client_address(sio.get_environ(sid, namespace=namespace))):
                    logger.warning("widget: too many new sessions from one address; refused")
                    await sio.emit("session_refused", {}, room=sid, namespace=namespace)
                    return
                session_id, token = new_session(secret)
            await sio.save_session(sid, {SESSION_KEY: session_id}, namespace=namespace)
            sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit(
                "session_confirm", {"session_id": session_id, "session_token": token}, room=sid, namespace=namespace
            )

        async def handle_message(sid: str, data: Any) -> bool | None:
            proven = (await sio.get_session(sid, namespace=namespace)).get(SESSION_KEY)
            if not isinstance(data, dict) or proven is None or data.get("session_id") != proven:
                logger.info("widget: a message for a session this socket has not proven was dropped")
                await sio.emit("session_invalid", {}, room=sid, namespace=namespace)
                return None
            given = data.get("metadata")
            # The widget's id of the message: the same when it sends it again, so a
            # message handled once is not handled twice (bot/rasa_server/resend.py),
            # and the one the masked form of a text with a CPR number is sent back for.
            metadata = with_client_id(given if isinstance(given, dict) else {}, data.get("message_id"))
            await rasa_handle_message(sid, {**data, "metadata": metadata})
            # The acknowledgement the widget waits for before it forgets the message
            # (sent when the turn is over: stored, or refused by a limit).
            return True

        async def history_request(sid: str, data: Any) -> None:
            proven = (await sio.get_session(sid, namespace=namespace)).get(SESSION_KEY)
            if proven is None:
                await sio.emit("session_invalid", {}, room=sid, namespace=namespace)
                return
            request = (sio.get_environ(sid, namespace=namespace) or {}).get("sanic.request")
            agent = getattr(getattr(getattr(request, "app", None), "ctx", None), "agent", None)
            tracker = await agent.tracker_store.retrieve_full_tracker(proven) if agent is not None else None
            events = [event.as_dict() for event in tracker.events] if tracker is not None else []
            await sio.emit(HISTORY_EVENT, messages_since(events, since_of(data)), room=sid, namespace=namespace)

        sio.on("session_request", session_request, namespace=namespace)
        sio.on("history_request", history_request, namespace=namespace)
        sio.on(self.user_message_evt, handle_message, namespace=namespace)
        blueprint: Blueprint = webhook
        return blueprint


async def send_masked(output_channel: Any, recipient_id: str, message_id: str, masked: str) -> None:
    """Tell the widget the masked form of its message (nothing for other channels)."""
    sio = getattr(output_channel, "sio", None)
    if sio is not None:
        await sio.emit(MASKED_EVENT, {"message_id": message_id, "text": masked}, room=recipient_id)
