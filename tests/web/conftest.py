"""The staff app on the test database (rolled back per test), with staff accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db.escalations import open_escalation
from bot.db.models import Escalation
from bot.db.staff import create_user
from bot.shared.settings import DEFAULT_MUNICIPALITY_FILE, Settings
from bot.staff.app import create_app
from bot.staff.security import hash_password

PASSWORD = "korrekt-hest-batteri"
NOBODY_LISTENS = "http://127.0.0.1:1"  # Rasa out of reach: the app must say so and change nothing


@dataclass
class StaffApp:
    app: FastAPI
    sessions: sessionmaker[Session]

    def client(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)

    def signed_in(self, username: str) -> TestClient:
        client = self.client()
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303, response.text
        return client

    def escalation(
        self, conversation: str, priority: str = "critical", reason: str = "distress", channel: str = "socketio"
    ) -> Escalation:
        with self.sessions.begin() as session:
            return open_escalation(
                session,
                conversation_id=conversation,
                channel=channel,
                reason=reason,
                priority=priority,
                summary="express_distress: hjælp",
            )


def csrf_of(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def staff_settings(database_url: str, rasa_url: str = NOBODY_LISTENS) -> Settings:
    return Settings(
        database_url=database_url,
        tracker_store_url=database_url,
        municipality_file=DEFAULT_MUNICIPALITY_FILE,
        rasa_url=rasa_url,
        action_server_port=1,
        web_port=1,
        rasa_port=1,
        log_level="INFO",
        rasa_api_secret="test-token",
        staff_secret="test-secret-" + "x" * 32,
    )


@pytest.fixture
def staff_app(session_maker: sessionmaker[Session], database_url: str, engine: Engine) -> Iterator[StaffApp]:
    with session_maker.begin() as session:
        create_user(session, username="anne", display_name="Anne", role="staff", password_hash=hash_password(PASSWORD))
        create_user(session, username="boss", display_name="Bo", role="admin", password_hash=hash_password(PASSWORD))
    yield StaffApp(
        create_app(staff_settings(database_url), sessions=session_maker, tracker_engine=engine), session_maker
    )
