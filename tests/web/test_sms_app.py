"""The internal SMS app refuses every call without the Rasa server's secret:
someone on the machine cannot register a message, send a text or fake a
delivery report by calling it directly (the end-to-end tests cover the way in
through the signed webhook). A flood from one number is acknowledged and
dropped, with one notice to the number."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.db import sms as sms_repo
from bot.db.session import make_sessionmaker
from bot.db.sms_models import SmsInbound
from bot.shared.municipality import current_municipality
from bot.shared.protocol import SMS_INBOUND_PATH, SMS_OUTBOX_PATH, SMS_SECRET_HEADER, SMS_STATUS_PATH
from bot.shared.settings import load_settings
from bot.sms.app import make_app, response_text
from bot.sms.numbers import conversation_id_for

SECRET = "internal-secret-for-the-test-0123456789"


@pytest.mark.parametrize("path", [SMS_INBOUND_PATH, SMS_OUTBOX_PATH, SMS_STATUS_PATH])
@pytest.mark.parametrize("headers", [{}, {SMS_SECRET_HEADER: "wrong"}, {SMS_SECRET_HEADER: ""}])
def test_no_internal_call_without_the_secret(database_url: str, path: str, headers: dict[str, str]) -> None:
    settings = replace(load_settings(), database_url=database_url, sms_internal_secret=SECRET)
    client = TestClient(make_app(settings))  # no lifespan: the sender thread is not needed here
    sessions = make_sessionmaker(database_url)
    with sessions() as session:
        before = session.scalar(select(func.count()).select_from(SmsInbound))
    body = {"id": 991, "msisdn": "4520123456", "message": "hej", "conversation_id": "sms-x", "messages": []}
    assert client.post(path, json=body, headers=headers).status_code == 401
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(SmsInbound)) == before


def test_a_flood_from_one_number_is_acknowledged_and_told_once_and_stop_still_counts(database_url: str) -> None:
    settings = replace(load_settings(), database_url=database_url, sms_internal_secret=SECRET)
    municipality = current_municipality()
    limited = replace(municipality, sms=replace(municipality.sms, messages_per_minute=3))
    client = TestClient(make_app(settings, limited))  # no lifespan: the texts stay queued, to be counted
    headers = {SMS_SECRET_HEADER: SECRET}
    number, other = f"4521{uuid.uuid4().int % 10**6:06d}", f"4522{uuid.uuid4().int % 10**6:06d}"

    def text(msisdn: str, message: str) -> dict[str, object]:
        body = {"id": uuid.uuid4().hex, "msisdn": msisdn, "message": message}
        response = client.post(SMS_INBOUND_PATH, json=body, headers=headers)
        assert response.status_code == 200
        answer: dict[str, object] = response.json()
        return answer

    answers = [text(number, f"hej {n}") for n in range(12)]
    assert [a["handled"] for a in answers] == [False] * 3 + [True] * 9
    assert all(a.get("limited") for a in answers[3:]) and "conversation_id" not in answers[5]
    assert text(other, "hej")["handled"] is False  # another number has its own limit
    assert text(number, "START")["handled"] is True  # past the limit: dropped like any text
    assert text(number, "STOP")["handled"] is True  # ... but a STOP is always taken
    conversation = conversation_id_for(number, settings.sms_number_key)
    with make_sessionmaker(database_url)() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(SmsInbound).where(SmsInbound.conversation_id == conversation)
            )
            == 4
        )  # the three within the limit and the STOP; nothing of the rest
        texts = [(t.kind, t.body) for t in sms_repo.outbound_of(session, conversation)]
        row = sms_repo.by_conversation(session, conversation)
        assert row is not None and row.opted_out_at is not None
    notice = response_text("utter_too_many_messages").format_map({"municipality_phone": municipality.phone})
    assert texts == [("limit", notice), ("optout", response_text("utter_sms_stopped"))]
    assert "112" in notice and "{" not in notice


def test_ready_says_whether_the_database_answers_and_nothing_else(database_url: str) -> None:
    settings = replace(load_settings(), database_url=database_url, sms_internal_secret=SECRET)
    response = TestClient(make_app(settings)).get("/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    down = replace(settings, database_url="postgresql+psycopg2://postgres@127.0.0.1:1/nowhere")
    response = TestClient(make_app(down)).get("/ready")
    assert (response.status_code, response.json()) == (503, {"status": "database unavailable"})
    assert TestClient(make_app(settings)).post("/ready").status_code == 405
