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
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.db.models import CourseEnrollment, Escalation
from bot.domain import load_domain
from bot.handover import SWEEP_GRACE, sweep_missed_danger
from bot.shared.clock import utc_now
from bot.shared.municipality import current_municipality
from tests.e2e.conftest import Chat, RunningAssistant
from tests.e2e.test_enrollment_http import start_and_answer_first_questions
from tests.e2e.test_youth_http import meetings_of, pair
from tests.helpers import database_locked

pytestmark = pytest.mark.e2e

QUESTION = "hvornår kommer sundhedsplejersken hjem til os efter fødslen?"  # answered by action_answer_service
DANGER = "jeg kan ikke mere, jeg vil ikke leve mere"
SORRY = load_domain()["responses"]["utter_action_unavailable"][0]["text"].split(",")[0]  # "Beklager"...
NOT_RECEIVED = "kom ikke igennem"  # utter_message_not_received
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

    in_a_form = running.chat()
    in_a_form.say("vi vil gerne tilmelde os familie med hjerte")
    assert "Hvad er dit navn?" in in_a_form.text
    with action_server_down(running):
        # The form's check of the answer fails: the answer is not taken unchecked, the question comes again.
        in_a_form.say("Mette Hansen")
        assert SORRY in in_a_form.text and "Hvad er dit navn?" in in_a_form.text, in_a_form.text
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
    # Nobody else knew of the danger while the action server was down: the
    # periodic sweep (run here as it would be once its grace time has passed) queues it.
    tracker = create_engine(running.assistant.settings.tracker_store_url)
    sweep_missed_danger(running.sessions, tracker, utc_now() + SWEEP_GRACE + timedelta(seconds=5))
    tracker.dispose()
    with running.sessions() as session:
        [case] = session.scalars(select(Escalation).where(Escalation.conversation_id == chat.sender)).all()
        assert (case.priority, case.reason) == ("critical", "distress")
    # Back: the same conversations go on, the form where it was.
    chat.say(QUESTION)
    assert SORRY not in chat.text and "sundhedspleje" in chat.text.lower()
    in_a_form.say("Mette Hansen")
    assert "Er jeres barn født?" in in_a_form.text, in_a_form.text


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


def test_a_database_that_does_not_answer_saves_nothing_and_the_enrolment_finishes_after(
    running: RunningAssistant,
) -> None:
    chat = running.chat()
    start_and_answer_first_questions(chat, "Rikke Holm")
    email = f"rikke.{uuid.uuid4().hex[:6]}@example.dk"
    finish_until_the_summary(chat, email)
    with database_locked(running.assistant.settings.database_url, "course_enrollments"):
        started = time.monotonic()
        chat.say("ja")
        assert time.monotonic() - started < running.assistant.settings.action_timeout_seconds + 5
    assert "ikke gemt" in chat.text and current_municipality().phone in chat.text, chat.text
    assert enrollments_with(running, email) == 0  # nothing half-written
    # The answers are kept: the summary is shown again, and once the database is back one more yes enrols.
    assert "Passer det" in chat.text and email in chat.text, chat.text
    chat.say("ja")
    assert "I er tilmeldt" in chat.text, chat.text
    assert enrollments_with(running, email) == 1


def finish_until_the_summary(chat: Chat, email: str) -> None:
    chat.say("nej")  # no partner
    chat.say(email)  # how to be contacted: then the summary, the team chosen
    assert "Passer det" in chat.text and email in chat.text, chat.text


def enrollments_with(running: RunningAssistant, email: str) -> int:
    with running.sessions() as session:
        count: int = session.scalar(
            select(func.count()).select_from(CourseEnrollment).where(CourseEnrollment.email == email)
        )
        return count


def test_a_meeting_asked_for_while_the_database_does_not_answer_is_asked_for_with_one_more_answer(
    running: RunningAssistant,
) -> None:
    """A request is saved as soon as its time is given (issue 17). When the
    save fails, the young person is told, nothing is half-written, and the
    answers kept are said back with a yes to give once the database is back.
    On PostgreSQL only the meetings table is locked: the form reads the time
    and the save fails. On SQLite the whole file is: the form cannot even
    check who is writing, and asks its question again."""
    reference = running.add_young_person()
    chat = running.chat()
    pair(running, chat, reference, first_name="Sofie")
    chat.say("kan jeg få et møde med min mentor")
    assert "Hvornår kan du?" in chat.text, chat.text
    with database_locked(running.assistant.settings.database_url, "mentor_meetings"):
        chat.say("i næste uge")
    assert "ikke gemt" in chat.text and current_municipality().phone in chat.text, chat.text
    assert meetings_of(running, reference) == []  # nothing half-written
    if running.assistant.settings.database_url.startswith("postgresql"):
        assert "Skal jeg bede din mentor om et møde mellem" in chat.text, chat.text  # the time kept, a yes asked
        chat.say("ja")
    else:
        assert "Hvornår kan du?" in chat.text, chat.text
        chat.say("i næste uge")
    assert "Jeg har bedt Lene om et møde" in chat.text, chat.text
    assert len(meetings_of(running, reference)) == 1


def test_a_tracker_store_that_does_not_answer_is_told_and_no_turn_is_lost(running: RunningAssistant) -> None:
    """The conversations' store (its own SQLite file, or the events table on
    PostgreSQL) locked by another transaction during a turn: the citizen is
    told the message did not get through, and once the store is back the
    conversation goes on from its last stored turn, every turn kept."""
    chat = running.chat()
    chat.say("hej")
    chat.say(QUESTION)
    assert "sundhedspleje" in chat.text.lower()
    with database_locked(running.assistant.settings.tracker_store_url, "events"):
        started = time.monotonic()
        chat.say("hvad koster det?")
        assert time.monotonic() - started < 25
    assert NOT_RECEIVED in chat.text and "112" in chat.text, chat.text
    assert current_municipality().phone in chat.text
    chat.say("hvad koster det?")  # written again: the store is back
    assert NOT_RECEIVED not in chat.text and SORRY not in chat.text, chat.text
    users = [e["text"] for e in running.tracker(chat.sender)["events"] if e["event"] == "user"]
    assert users == ["hej", QUESTION, "hvad koster det?"]  # none lost, the one not taken not kept
