"""When a part fails, through the running servers. The action server: not running,
dying in the middle of a turn (the connection closes without an answer),
answering 500, answering after the timeout. Each time the citizen gets a short
Danish answer with the municipality's phone number within the timeout, a
danger message still gets 112 from the Rasa server alone, and once the action
server is back the same conversation goes on. Every process killed with
kill -9: each is started again, and the conversation goes on.

The faulty servers are real HTTP servers on the action server's port (the real
one is stopped meanwhile), doing what a broken action server does."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from bot.domain import load_domain
from bot.shared.municipality import current_municipality
from tests.e2e.conftest import RunningAssistant

QUESTION = "hvornår kommer sundhedsplejersken hjem til os efter fødslen?"  # answered by action_answer_service
DANGER = "jeg kan ikke mere, jeg vil ikke leve mere"
SORRY = load_domain()["responses"]["utter_action_unavailable"][0]["text"].split(",")[0]  # "Beklager"...
HANG_SECONDS = 40  # longer than the timeout the servers run with (tests/e2e/conftest.py)


def answer_500(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(500)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def close_without_answer(handler: BaseHTTPRequestHandler) -> None:
    handler.close_connection = True  # like a process killed while it ran the action


def hang(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(HANG_SECONDS)


def fault_server(port: int, fault: Callable[[BaseHTTPRequestHandler], None]) -> ThreadingHTTPServer:
    class Faulty(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fault(self)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Faulty)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def action_server_down(running: RunningAssistant) -> Iterator[None]:
    assistant = running.assistant
    assistant.stop(["actions"])
    try:
        yield
    finally:
        assistant.start_actions()
        assistant.wait_until_ready(120)


@contextmanager
def faulty_action_server(running: RunningAssistant, fault: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[None]:
    server = fault_server(running.assistant.settings.action_server_port, fault)
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def test_a_failing_action_server_is_told_to_the_citizen_and_the_conversation_goes_on(
    running: RunningAssistant,
) -> None:
    municipality = current_municipality()
    timeout = running.assistant.settings.action_timeout_seconds
    chat = running.chat()

    def told_within(seconds: float) -> str:
        started = time.monotonic()
        chat.say(QUESTION)
        assert time.monotonic() - started < seconds, f"no answer within {seconds} s"
        assert "{" not in chat.text and "None" not in chat.text
        return chat.text

    with action_server_down(running):
        # The session starts without action_session_start: the answers still name the phone number.
        chat.say("hej")
        assert chat.text and "{" not in chat.text and "None" not in chat.text
        reply = told_within(10)
        assert SORRY in reply and municipality.phone in reply and "112" in reply
        chat.say(DANGER)
        assert "112" in chat.last[0]["text"], "the emergency answer comes first, without the action server"
        for fault, seconds in ((answer_500, 10), (close_without_answer, 10), (hang, timeout + 10)):
            with faulty_action_server(running, fault):
                reply = told_within(seconds)
                assert SORRY in reply and municipality.phone in reply, fault.__name__
    # Back: the same conversation is answered as usual, from the service's row.
    chat.say(QUESTION)
    assert SORRY not in chat.text and "sundhedspleje" in chat.text.lower()


def test_every_process_killed_comes_back_and_the_conversation_goes_on(running: RunningAssistant) -> None:
    """kill -9 of every process at once (what `make run` does each second:
    revive, then readiness): each is started again, and the conversation that
    was going on is answered by the new processes."""
    assistant = running.assistant
    chat = running.chat()
    chat.say(QUESTION)
    assert SORRY not in chat.text
    for name, url in assistant.health_urls().items():
        assert httpx.get(url, headers=assistant.api_headers(), timeout=10).status_code == 200, name
    processes = dict(assistant.processes)
    for process in processes.values():
        os.killpg(process.pid, signal.SIGKILL)
    for process in processes.values():
        process.wait(timeout=30)
    assert sorted(assistant.revive()) == sorted(processes)
    assistant.wait_until_ready(180)
    assert assistant.revive() == []
    chat.say(QUESTION)
    assert SORRY not in chat.text and "sundhedspleje" in chat.text.lower()
