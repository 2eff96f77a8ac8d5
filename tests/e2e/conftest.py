"""Run the real assistant (Rasa server + action server) as a user would,
on its own ports and its own databases, for both backends."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from bot.db.migrate import upgrade
from bot.db.seed import seed_services, seed_teams, seed_youth
from bot.db.session import make_sessionmaker
from bot.db.staff import create_user, get_by_username
from bot.runner import APP_PYTHON, Assistant
from bot.settings import DEFAULT_MUNICIPALITY_FILE, ROOT, Settings
from bot.staff.security import hash_password
from bot.training import model_path

RASA_PORT, ACTION_PORT, WEB_PORT, STAFF_PORT = 15005, 15055, 18000, 18001
CHROMIUM = "/usr/bin/chromium"
STAFF_PASSWORD = "korrekt-hest-batteri"


def e2e_settings(database_url: str, tracker_url: str) -> Settings:
    return Settings(
        database_url=database_url, tracker_store_url=tracker_url, municipality_file=DEFAULT_MUNICIPALITY_FILE,
        rasa_url=f"http://localhost:{RASA_PORT}", action_server_port=ACTION_PORT, web_port=WEB_PORT,
        rasa_port=RASA_PORT, log_level="INFO", rasa_token=f"e2e-{uuid.uuid4().hex}",
        staff_secret=f"e2e-{uuid.uuid4().hex}", staff_port=STAFF_PORT,
        youth_token_secret=f"e2e-youth-{uuid.uuid4().hex}",
    )


@dataclass
class Chat:
    """One conversation through Rasa's REST channel."""

    base_url: str
    sender: str = field(default_factory=lambda: f"e2e-{uuid.uuid4().hex[:10]}")
    last: list[dict[str, Any]] = field(default_factory=list)

    def say(self, message: str) -> list[dict[str, Any]]:
        response = httpx.post(f"{self.base_url}/webhooks/rest/webhook",
                              json={"sender": self.sender, "message": message}, timeout=30)
        response.raise_for_status()
        self.last = response.json()
        return self.last

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.last)

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.last for b in m.get("buttons", [])]


@dataclass
class RunningAssistant:
    assistant: Assistant
    sessions: sessionmaker[Session]

    def chat(self) -> Chat:
        return Chat(self.assistant.settings.rasa_url)

    def restart(self) -> None:
        self.assistant.stop()
        self.assistant.start()

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation as Rasa holds it (its HTTP API, with the token)."""
        settings = self.assistant.settings
        response = httpx.get(f"{settings.rasa_url}/conversations/{conversation_id}/tracker",
                             params={"token": settings.rasa_token}, timeout=30)
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker

    def cli(self, *args: str) -> str:
        """`python -m bot ...` against this assistant's databases, as staff run it."""
        env = self.assistant.environment()
        done = subprocess.run([str(APP_PYTHON), "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    @property
    def staff_url(self) -> str:
        return f"http://127.0.0.1:{self.assistant.settings.staff_port}"

    def staff_user(self, username: str, role: str = "staff", name: str = "") -> str:
        """A staff account (made once per database) with STAFF_PASSWORD."""
        with self.sessions.begin() as session:
            if get_by_username(session, username) is None:
                create_user(session, username=username, display_name=name or username.title(), role=role,
                            password_hash=hash_password(STAFF_PASSWORD))
        return username


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def running(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    model = model_path()
    assert model.exists(), f"no trained model {model.name}: run `make test`, which trains first"
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("e2e")
        database_url, tracker_url = f"sqlite:///{folder / 'municipal.db'}", f"sqlite:///{folder / 'tracker.db'}"
    else:
        database_url = tracker_url = request.getfixturevalue("postgres_url")
    upgrade(database_url)
    maker = make_sessionmaker(database_url)
    with maker.begin() as session:
        seed_teams(session, date.today())
        seed_services(session)
        seed_youth(session, date.today())
    assistant = Assistant(settings=e2e_settings(database_url, tracker_url), model=model, with_web=True)
    with assistant:
        yield RunningAssistant(assistant, maker)


@pytest.fixture(scope="session")
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
