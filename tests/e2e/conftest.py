"""Run the real assistant (Rasa server + action server) as a user would,
on its own ports and its own databases, for both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.db.migrate import upgrade
from bot.db.seed import seed_services, seed_teams
from bot.db.session import make_sessionmaker
from bot.runner import Assistant
from bot.settings import DEFAULT_MUNICIPALITY_FILE, Settings
from bot.training import model_path

RASA_PORT, ACTION_PORT = 15005, 15055


def e2e_settings(database_url: str, tracker_url: str) -> Settings:
    return Settings(
        database_url=database_url, tracker_store_url=tracker_url, municipality_file=DEFAULT_MUNICIPALITY_FILE,
        rasa_url=f"http://localhost:{RASA_PORT}", action_server_port=ACTION_PORT, web_port=18000,
        rasa_port=RASA_PORT, log_level="INFO",
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
    assistant = Assistant(settings=e2e_settings(database_url, tracker_url), model=model, with_web=True)
    with assistant:
        yield RunningAssistant(assistant, maker)
