"""What the widget gets when it comes back (the `history_request` of the
widget's socket.io channel, bot/rasa_server/channels/widget.py), through the
running Rasa server: a staff answer sent while no widget was open, once, and
only ever the socket's own proven conversation's messages."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
import socketio

from bot.rasa_client import RasaClient, bot_message
from tests.e2e.conftest import RunningAssistant, SocketChat

pytestmark = pytest.mark.e2e


def history(chat: SocketChat, request: Any) -> dict[str, Any] | None:
    """The `history` answer to one request, or None when the socket got `session_invalid` instead."""
    got: list[dict[str, Any]] = []
    answered = threading.Event()
    chat.client.on("history", lambda data: (got.append(data), answered.set()))
    chat.client.on("session_invalid", lambda _data: answered.set())
    chat.client.emit("history_request", request)
    assert answered.wait(10), "no answer to history_request"
    return got[0] if got else None


def socket(running: RunningAssistant, **session: str) -> SocketChat:
    settings = running.assistant.settings
    # An address of the test's own: the new-session limit is per address.
    address = f"198.51.100.{uuid.uuid4().int % 200 + 20}"
    return SocketChat(
        settings.rasa_url, headers={"X-Forwarded-For": address}, api_secret=settings.rasa_api_secret, **session
    )


def test_a_staff_answer_sent_while_the_chat_was_closed_is_fetched_once(running: RunningAssistant) -> None:
    settings = running.assistant.settings
    first = socket(running)
    try:
        assert "Familie med Hjerte" in first.say("hej")
        synced = history(first, {"since": None})
        assert synced is not None and synced["messages"] == [] and synced["until"] > 0
        session = {"session_id": first.session_id, "session_token": first.session["session_token"]}
    finally:
        first.close()
    answer = f"Hej, det er Anne fra kommunen ({uuid.uuid4().hex[:6]})."
    RasaClient(settings.rasa_url, settings.rasa_api_secret).append(session["session_id"], [bot_message(answer, "anne")])

    again = socket(running, **session)
    try:
        assert again.session_id == session["session_id"]
        caught_up = history(again, {"since": synced["until"]})
        assert caught_up is not None
        assert [m["text"] for m in caught_up["messages"]] == [answer]
        assert caught_up["until"] > synced["until"]
        later = history(again, {"since": caught_up["until"]})
        assert later is not None and later["messages"] == []  # asked from the new time: nothing twice
    finally:
        again.close()


def test_no_other_conversations_messages_can_be_fetched(running: RunningAssistant) -> None:
    victim = socket(running)
    try:
        assert "medarbejder" in victim.say("jeg vil gerne tale med en medarbejder")
        victims_id, real = victim.session_id, victim.session["session_token"]
        secret_text = [e["text"] for e in running.tracker(victims_id)["events"] if e["event"] == "bot"]
        assert secret_text
        tampered = ("B" if real[0] != "B" else "C") + real[1:]
        for token in (None, "", "x" * 43, tampered):  # missing or forged: a new, empty session
            stranger = socket(running, session_id=victims_id, session_token=token)  # type: ignore[arg-type]
            try:
                assert stranger.session_id != victims_id
                for request in ({"since": 0}, {"since": 0, "session_id": victims_id}):  # naming another id
                    answer = history(stranger, request)
                    assert answer is not None and answer["messages"] == [], answer
            finally:
                stranger.close()
        # A socket that has proven no session at all gets nothing.
        bare, refused, got = socketio.Client(reconnection=False), threading.Event(), []
        bare.on("session_invalid", lambda _data: refused.set())
        bare.on("history", got.append)
        bare.connect(running.assistant.settings.rasa_url, transports=["websocket"])
        try:
            bare.emit("history_request", {"since": 0, "session_id": victims_id})
            assert refused.wait(10) and got == []
        finally:
            bare.disconnect()
    finally:
        victim.close()


def test_a_typed_since_is_taken_as_a_first_sync(running: RunningAssistant) -> None:
    chat = socket(running)
    try:
        assert chat.say("hej")
        for since in ["0", -1, 1e300, [0], {"a": 1}, True, None]:
            answer = history(chat, {"since": since})
            assert answer is not None and answer["messages"] == [] and isinstance(answer["until"], float), since
        assert history(chat, "not a dict") is not None
    finally:
        chat.close()
