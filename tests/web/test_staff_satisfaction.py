"""Closing a taken case asks the citizen in the widget how satisfied they
were (bot/staff/cases.py): the offer is written in the close's transaction,
and the question goes to Rasa's HTTP API with the staff member's goodbye.
Rasa's API is a small recording HTTP server here (the real one is in
tests/e2e/test_satisfaction_browser.py); when Rasa cannot be reached,
nothing is written, the offer neither."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.escalations import claim
from bot.db.models import Escalation
from bot.db.satisfaction import nonce_hash
from bot.db.satisfaction_models import SatisfactionOffer
from bot.staff.app import create_app
from tests.web.conftest import StaffApp, csrf_of, staff_settings


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, list[dict[str, Any]]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@dataclass
class RasaApi:
    url: str
    received: list[tuple[str, list[dict[str, Any]]]]


@pytest.fixture
def rasa_api() -> Iterator[RasaApi]:
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield RasaApi(f"http://127.0.0.1:{server.server_address[1]}", Recorder.received)
    server.shutdown()
    server.server_close()


def app_with_rasa(staff_app: StaffApp, database_url: str, url: str) -> StaffApp:
    return StaffApp(
        create_app(staff_settings(database_url, rasa_url=url), sessions=staff_app.sessions), staff_app.sessions
    )


def taken_case(staff_app: StaffApp, conversation: str, channel: str = "socketio") -> Escalation:
    row = staff_app.escalation(conversation, channel=channel)
    with staff_app.sessions.begin() as session:
        claim(session, row.id, "anne")
    return row


def offers(sessions: sessionmaker[Session]) -> list[SatisfactionOffer]:
    with sessions() as session:
        return list(session.scalars(select(SatisfactionOffer)))


def close(app: StaffApp, row: Escalation, conversation: str) -> Any:
    client = app.signed_in("anne")
    token = csrf_of(client.get(f"/samtale/{conversation}").text)
    return client.post(f"/sag/{row.id}/luk", data={"csrf_token": token, "outcome": "Hjulpet"})


def test_closing_a_taken_widget_case_offers_the_question(
    staff_app: StaffApp, database_url: str, rasa_api: RasaApi
) -> None:
    row = taken_case(staff_app, "samtale-1")
    app = app_with_rasa(staff_app, database_url, rasa_api.url)
    response = close(app, row, "samtale-1")
    assert response.status_code == 303 and "fejl" not in response.headers["location"]
    appended = [
        events for path, events in rasa_api.received if path.startswith("/conversations/samtale-1/tracker/events")
    ]
    assert len(appended) == 1
    events = appended[0]
    assert [event["event"] for event in events] == ["bot", "bot", "resume", "action"]
    question = events[1]["data"]["custom"]["data"]["satisfaction"]
    assert question["question"] == "Hvor tilfreds er du med hjælpen i dag?"
    stored = offers(staff_app.sessions)
    assert len(stored) == 1 and stored[0].nonce_hash == nonce_hash(question["offer"])
    assert (stored[0].goal, stored[0].team, stored[0].channel) == ("staff_case", "family", "socketio")
    assert "samtale-1" not in json.dumps([(o.goal, o.team, o.channel, o.nonce_hash) for o in stored])


def test_no_question_by_text_nor_for_an_untaken_case(staff_app: StaffApp, database_url: str, rasa_api: RasaApi) -> None:
    app = app_with_rasa(staff_app, database_url, rasa_api.url)
    sms = taken_case(staff_app, "sms-1", channel="sms")
    close(app, sms, "sms-1")
    untaken = staff_app.escalation("samtale-2")
    close(app, untaken, "samtale-2")
    appended = [events for _path, events in rasa_api.received]
    assert [[event["event"] for event in events] for events in appended] == [["bot", "resume", "action"]]
    assert offers(staff_app.sessions) == []
    with staff_app.sessions() as session:
        assert {session.get(Escalation, r.id).status for r in (sms, untaken)} == {"closed"}  # type: ignore[union-attr]


def test_no_offer_is_written_when_rasa_cannot_be_reached(staff_app: StaffApp) -> None:
    row = taken_case(staff_app, "samtale-1")
    response = close(staff_app, row, "samtale-1")  # the fixture's Rasa listens nowhere
    assert "Assistenten kunne ikke n" in response.headers["location"] or "fejl" in response.headers["location"]
    assert offers(staff_app.sessions) == []
    with staff_app.sessions() as session:
        assert session.get(Escalation, row.id).status == "claimed"  # type: ignore[union-attr]


def test_the_transcript_names_the_question_for_staff() -> None:
    from bot.staff.satisfaction import satisfaction_offer
    from bot.staff.transcript import read_transcript

    event = satisfaction_offer("abc", "anne")
    lines = read_transcript({"events": [event]})
    assert [(line.kind, line.text) for line in lines] == [
        ("staff", "[Tilfredshedsspørgsmål i chatten: Hvor tilfreds er du med hjælpen i dag?]")
    ]
    assert "abc" not in lines[0].text
