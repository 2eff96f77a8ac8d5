"""Run the real assistant (Rasa server + action server) as a user would,
on its own ports and its own databases, for both backends."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import socketio
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from bot.db.migrate import upgrade
from bot.db.seed import seed_services, seed_teams, seed_youth
from bot.db.session import make_sessionmaker
from bot.db.staff import create_user, get_by_username
from bot.rasa_client import api_headers
from bot.runner import APP_PYTHON, Assistant
from bot.shared.clock import danish_today
from bot.shared.settings import DEFAULT_MUNICIPALITY_FILE, ROOT, Settings
from bot.staff.security import hash_password
from bot.training import model_path
from tests.helpers import municipality_for_tests

if TYPE_CHECKING:  # imported where used: tests/e2e/cluster_helpers.py imports this module
    from bot.cluster import Cluster
    from tests.e2e.cluster_helpers import RunningCluster

# E2E_PORT_OFFSET moves them all, so that two checkouts can run their end-to-end tests at once.
_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
RASA_PORT, ACTION_PORT, WEB_PORT, STAFF_PORT, SMS_APP_PORT, SMS_GATEWAY_PORT = (
    port + _OFFSET for port in (15005, 15055, 18000, 18001, 15056, 15057)
)
CHROMIUM = "/usr/bin/chromium"
STAFF_PASSWORD = "korrekt-hest-batteri"


def e2e_settings(database_url: str, tracker_url: str, municipality_file: Path = DEFAULT_MUNICIPALITY_FILE) -> Settings:
    return Settings(
        database_url=database_url,
        tracker_store_url=tracker_url,
        municipality_file=municipality_file,
        rasa_url=f"http://127.0.0.1:{RASA_PORT}",
        action_server_port=ACTION_PORT,
        web_port=WEB_PORT,
        rasa_port=RASA_PORT,
        log_level="INFO",
        rasa_api_secret=f"e2e-{uuid.uuid4().hex}",
        staff_secret=f"e2e-{uuid.uuid4().hex}",
        staff_port=STAFF_PORT,
        youth_token_secret=f"e2e-youth-{uuid.uuid4().hex}",
        action_server_token=f"e2e-actions-{uuid.uuid4().hex}",
        # tests/e2e/test_faults_http.py waits this long for a hanging action server
        action_timeout_seconds=8.0,
        widget_session_secret=f"e2e-widget-{uuid.uuid4().hex}",
        rest_channel=True,
        trusted_proxies=1,
        # The local SMS gateway (bot/sms/gateway.py) stands in for the municipality's.
        sms_gateway_token=f"e2e-gateway-{uuid.uuid4().hex}",
        sms_webhook_secret=f"e2e-webhook-{uuid.uuid4().hex}",
        sms_app_port=SMS_APP_PORT,
        sms_internal_secret=f"e2e-sms-{uuid.uuid4().hex}",
        sms_number_key=f"e2e-number-{uuid.uuid4().hex}",
        sms_gateway_port=SMS_GATEWAY_PORT,
    )


@dataclass
class Chat:
    """One conversation through Rasa's REST channel."""

    base_url: str
    sender: str = field(default_factory=lambda: f"e2e-{uuid.uuid4().hex[:10]}")
    last: list[dict[str, Any]] = field(default_factory=list)

    def say(self, message: str) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.base_url}/webhooks/rest/webhook", json={"sender": self.sender, "message": message}, timeout=30
        )
        response.raise_for_status()
        self.last = response.json()
        return self.last

    def click(self, payload: str) -> list[dict[str, Any]]:
        """Press one of the buttons of the latest answer, as the widget sends it."""
        offered = [b["payload"] for b in self.buttons]
        assert payload in offered, f"{payload} is not among the buttons offered: {offered}"
        return self.say(payload)

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.last)

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.last for b in m.get("buttons", [])]


class SocketChat:
    """A chat over the widget's socket.io channel, as the widget talks: the
    server issues the session (id and signature), which a reconnect sends back.

    With the Rasa API's secret, `say` waits for the end of the turn itself
    (Rasa's tracker back at action_listen, and every bot message of the turn
    received), not for a fixed time; without it (a session that is refused,
    an outsider), until no more replies come."""

    def __init__(
        self,
        url: str,
        session_id: str | None = None,
        session_token: str | None = None,
        headers: dict[str, str] | None = None,
        api_secret: str | None = None,
    ) -> None:
        self.url, self.api_secret = url, api_secret
        self.client = socketio.Client(reconnection=False)
        self.replies: list[str] = []
        self.events: list[str] = []
        self.session: dict[str, str] = {}
        self.confirmed = threading.Event()
        self.refused = threading.Event()
        self.answered = threading.Event()  # a session confirmed or refused
        self.heard = threading.Event()  # a reply or a refusal of the session
        self.client.on("bot_uttered", self._reply)
        self.client.on("session_invalid", self._invalid)
        self.client.on("session_confirm", self._confirm)
        self.client.on("session_refused", self._refuse)
        self.client.connect(url, transports=["websocket", "polling"], headers=headers or {})
        self.request_session(session_id, session_token)

    def _reply(self, data: dict[str, Any]) -> None:
        self.replies.append(str(data.get("text", "")))
        self.heard.set()

    def _invalid(self, _data: Any) -> None:
        self.events.append("session_invalid")
        self.heard.set()

    def _refuse(self, _data: Any) -> None:
        self.refused.set()
        self.answered.set()

    def request_session(self, session_id: str | None = None, session_token: str | None = None) -> bool:
        """Ask for a session; False when the server refused a new one."""
        self.confirmed.clear()
        self.refused.clear()
        self.answered.clear()
        self.client.emit("session_request", {"session_id": session_id, "session_token": session_token})
        assert self.answered.wait(10), "no answer to session_request"
        return self.confirmed.is_set()

    def _confirm(self, data: dict[str, str]) -> None:
        self.session = data
        self.confirmed.set()
        self.answered.set()

    @property
    def session_id(self) -> str:
        return self.session["session_id"]

    def _events(self, conversation: str) -> list[dict[str, Any]]:
        assert self.api_secret is not None
        response = httpx.get(
            f"{self.url}/conversations/{conversation}/tracker",
            headers=api_headers(self.api_secret),
            timeout=30,
        )
        response.raise_for_status()
        events: list[dict[str, Any]] = response.json()["events"]
        return events

    def _turn_done(self, conversation: str, users_before: int) -> bool:
        events = self._events(conversation)
        users = [i for i, e in enumerate(events) if e["event"] == "user"]
        if len(users) <= users_before or events[-1].get("name") != "action_listen":
            return False
        sent = sum(e["event"] == "bot" for e in events[users[-1] :])
        return len(self.replies) >= sent

    def say(self, text: str, metadata: dict[str, Any] | None = None, as_session: str | None = None) -> str:
        conversation = as_session or self.session_id
        users_before = None
        if self.api_secret and not as_session:
            users_before = sum(e["event"] == "user" for e in self._events(conversation))
        self.replies.clear()
        self.heard.clear()
        self.client.emit("user_uttered", {"message": text, "session_id": conversation, "metadata": metadata or {}})
        self.heard.wait(20)
        if users_before is not None and self.replies:
            deadline = time.monotonic() + 20
            while not self._turn_done(conversation, users_before) and time.monotonic() < deadline:
                self.heard.clear()
                self.heard.wait(0.1)  # woken early by the next reply
        else:
            # until no more replies come: each reply wakes the wait
            while self.heard.wait(0.5) and self.replies:
                self.heard.clear()
        return "\n".join(self.replies)

    def close(self) -> None:
        self.client.disconnect()


@dataclass
class RunningAssistant:
    assistant: Assistant
    sessions: sessionmaker[Session]

    def chat(self) -> Chat:
        return Chat(self.assistant.settings.rasa_url)

    def restart(self) -> None:
        try:
            self.assistant.stop()
        finally:
            # started again whatever happened in stop(), so that one failed restart
            # does not take every later test with it
            self.assistant.start()

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation as Rasa holds it (its HTTP API, with the token)."""
        settings = self.assistant.settings
        response = httpx.get(
            f"{settings.rasa_url}/conversations/{conversation_id}/tracker",
            headers=api_headers(settings.rasa_api_secret),
            timeout=30,
        )
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker

    def turn_replies(self, conversation_id: str, timeout: float = 30) -> int:
        """Once the conversation's latest turn is over (Rasa's tracker back at
        action_listen), how many bot messages it sent."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.tracker(conversation_id)["events"]
            if events and events[-1].get("name") == "action_listen":
                users = [i for i, e in enumerate(events) if e["event"] == "user"]
                return sum(e["event"] == "bot" for e in events[users[-1] if users else 0 :])
            assert time.monotonic() < deadline, "the turn did not end"
            time.sleep(0.05)

    def cli(self, *args: str) -> str:
        """`python -m bot ...` against this assistant's databases, as staff run it."""
        env = self.assistant.environment()
        done = subprocess.run(
            [str(APP_PYTHON), "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def add_young_person(self, mentor: str = "Lene", mentor_contact: str = "70 10 20 36") -> str:
        """A young person of the test's own, added as staff do (the seeded ones
        are shared: a meeting one test books is not the next one another test
        moves or cancels). Returns the reference."""
        reference = f"UNG-{uuid.uuid4().hex[:6].upper()}"
        ends = danish_today() + timedelta(days=400)
        self.cli(
            "youth", "add", reference, "--name", "Sofie", "--mentor", mentor,
            "--mentor-contact", mentor_contact, "--aftercare-ends", f"{ends:%Y-%m-%d}",
        )  # fmt: skip
        return reference

    @property
    def staff_url(self) -> str:
        return f"http://127.0.0.1:{self.assistant.settings.staff_port}"

    def staff_user(self, username: str, role: str = "staff", name: str = "") -> str:
        """A staff account (made once per database) with STAFF_PASSWORD."""
        with self.sessions.begin() as session:
            if get_by_username(session, username) is None:
                create_user(
                    session,
                    username=username,
                    display_name=name or username.title(),
                    role=role,
                    password_hash=hash_password(STAFF_PASSWORD),
                )
        return username


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def running(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    model = model_path()
    assert model.exists(), f"no trained model {model.name}: run `make test`, which trains first"
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("e2e")
        database_url, tracker_url = f"sqlite:///{folder / 'municipal.db'}", f"sqlite:///{folder / 'tracker.db'}"
    else:
        database_url = tracker_url = request.getfixturevalue("e2e_postgres_url")
    upgrade(database_url)
    # immediate (SQLite): the tests' own reads-then-writes run beside the servers' writes,
    # and a deferred one would be refused at once ("database is locked") instead of waiting
    maker = make_sessionmaker(database_url, immediate=True)
    with maker.begin() as session:
        seed_teams(session, danish_today())
        seed_services(session)
        seed_youth(session, danish_today())
    municipality = municipality_for_tests(tmp_path_factory.mktemp("municipality"))
    assistant = Assistant(settings=e2e_settings(database_url, tracker_url, municipality), model=model, with_web=True)
    with assistant:
        yield RunningAssistant(assistant, maker)


# One browser per test module, not per session: Playwright's sync API keeps an
# event loop running in the main thread while it is open, and the action tests'
# asyncio.run() must not meet it when the tests run in a random order.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="da-DK")
    yield context
    context.close()


@pytest.fixture(scope="session")
def two_replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    """The cluster tests' two replicas behind HAProxy, on PostgreSQL and a Redis of their own."""
    from tests.e2e.cluster_helpers import running_cluster

    with running_cluster(tmp_path_factory.mktemp("cluster")) as cluster:
        yield cluster


@pytest.fixture
def both(two_replicas: RunningCluster) -> Cluster:
    """Both Rasa servers in the pool and Redis running (a test that killed one starts it again here)."""
    from tests.e2e.cluster_helpers import both_servers_up

    return both_servers_up(two_replicas)
