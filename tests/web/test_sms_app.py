"""The internal SMS app refuses every call without the Rasa server's secret:
someone on the machine cannot register a message, send a text or fake a
delivery report by calling it directly (the end-to-end tests cover the way in
through the signed webhook)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.db.session import make_sessionmaker
from bot.db.sms_models import SmsInbound
from bot.shared.protocol import SMS_INBOUND_PATH, SMS_OUTBOX_PATH, SMS_SECRET_HEADER, SMS_STATUS_PATH
from bot.shared.settings import load_settings
from bot.sms.app import make_app

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
