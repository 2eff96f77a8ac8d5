"""The SMS client against the local gateway (bot/sms/gateway.py), a real
HTTP server: a long text split into messages, retries on 5xx and on a
timeout, none on 4xx, and no message text in the log; the SMS app's sender
keeps a text the gateway cannot take queued and tries it again later, in
order (real SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from bot.db import sms as sms_repo
from bot.db.sms_models import SmsOutbound
from bot.shared.clock import utc_now
from bot.shared.settings import load_settings
from bot.sms.app import RETRY_PAUSES, Sender
from bot.sms.client import GatewayError, SmsClient
from bot.sms.gateway import make_gateway
from bot.sms.render import parts, split

TOKEN = "gateway-token-for-the-tests"
NUMBER = "4520000009"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def gateway_url() -> Iterator[str]:
    port = free_port()
    settings = replace(load_settings(), sms_gateway_token=TOKEN, rasa_url="http://127.0.0.1:1")
    server = uvicorn.Server(
        uvicorn.Config(make_gateway(settings), host="127.0.0.1", port=port, log_level="error", ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield url
    server.should_exit = True
    thread.join(5)


def control(url: str, **settings: float) -> None:
    httpx.post(f"{url}/control", json=settings).raise_for_status()


def phone(url: str, number: str = NUMBER) -> list[str]:
    return [t["text"] for t in httpx.get(f"{url}/phone/{number}/messages").json() if t["direction"] == "out"]


def client(url: str, **options: float) -> SmsClient:
    return SmsClient(url, TOKEN, "Kommunen", sleep=lambda _s: None, **options)  # type: ignore[arg-type]


def test_a_long_text_is_sent_as_messages_in_order(gateway_url: str) -> None:
    control(gateway_url)
    text = "Her er en lang besked om dit møde og din uddannelse. " * 40
    number = "4520000010"
    for message in split(text):
        assert client(gateway_url).send(number, message).gateway_id
    received = phone(gateway_url, number)
    assert " ".join(received) == text.strip() and len(received) == 3
    assert all(parts(message) <= 6 for message in received)


def test_a_5xx_is_retried_with_backoff(gateway_url: str) -> None:
    control(gateway_url, fail_status=503, fail_times=2)
    pauses: list[float] = []
    sms = SmsClient(gateway_url, TOKEN, "Kommunen", retries=3, backoff=0.1, sleep=pauses.append)
    sent = sms.send(NUMBER, "Efter to fejl")
    assert sent.attempts == 3 and pauses == [0.1, 0.2]
    assert phone(gateway_url)[-1] == "Efter to fejl"


def test_retries_end(gateway_url: str) -> None:
    control(gateway_url, fail_status=500, fail_times=10)
    with pytest.raises(GatewayError) as failed:
        client(gateway_url, retries=2).send(NUMBER, "Aldrig")
    assert failed.value.attempts == 3 and failed.value.retryable
    control(gateway_url)


def test_a_4xx_is_not_retried_and_no_text_is_logged(gateway_url: str, caplog: pytest.LogCaptureFixture) -> None:
    control(gateway_url, fail_status=422, fail_times=5)
    caplog.set_level(logging.INFO)
    with pytest.raises(GatewayError) as failed:
        client(gateway_url).send(NUMBER, "Hemmelig besked om dig")
    assert failed.value.attempts == 1 and not failed.value.retryable
    control(gateway_url)
    wrong_token = SmsClient(gateway_url, "wrong", "Kommunen", sleep=lambda _s: None)
    with pytest.raises(GatewayError) as refused:
        wrong_token.send(NUMBER, "Hemmelig besked om dig")
    assert refused.value.attempts == 1
    assert "Hemmelig" not in caplog.text and NUMBER not in caplog.text and "422" in caplog.text


def test_a_timeout_is_retried(gateway_url: str) -> None:
    control(gateway_url, delay=0.5)
    with pytest.raises(GatewayError) as failed:
        client(gateway_url, timeout=0.2, retries=1).send(NUMBER, "Langsom")
    assert failed.value.attempts == 2 and failed.value.retryable
    control(gateway_url)


def outbound(sessions: sessionmaker[Session], *ids: int) -> list[SmsOutbound]:
    with sessions() as session:
        return [session.get(SmsOutbound, i) for i in ids]  # type: ignore[misc]


def test_a_text_the_gateway_cannot_take_stays_queued_and_goes_later_in_order(
    gateway_url: str, session_maker: sessionmaker[Session]
) -> None:
    """The gateway is down at night: the on-duty text is not lost, and the
    number's next text does not overtake it."""
    number, start = "4520000011", utc_now()
    with session_maker.begin() as session:
        first = sms_repo.add_on_duty_alert(session, 9001, number, "Ny kritisk sag", start).id
        second = sms_repo.add_on_duty_alert(session, 9002, number, "Endnu en", start).id
    sender = Sender(session_maker, client(gateway_url, retries=1))
    control(gateway_url, fail_status=503, fail_times=100)
    sender.send_queued(start)
    waiting, untouched = outbound(session_maker, first, second)
    assert (waiting.status, waiting.attempts) == ("queued", 2)
    assert waiting.next_attempt_at == start + timedelta(seconds=RETRY_PAUSES[0])
    assert (untouched.status, untouched.attempts) == ("queued", 0)
    assert sender.send_queued(start + timedelta(seconds=10)) == 0  # not due yet: nothing is tried
    control(gateway_url)  # the gateway is back
    sender.send_queued(start + timedelta(seconds=RETRY_PAUSES[0] + 1))
    assert [text.status for text in outbound(session_maker, first, second)] == ["sent", "sent"]
    assert phone(gateway_url, number) == ["Ny kritisk sag", "Endnu en"]


def test_a_text_still_failing_after_the_last_pause_is_failed(
    gateway_url: str, session_maker: sessionmaker[Session]
) -> None:
    moment = utc_now()
    with session_maker.begin() as session:
        text_id = sms_repo.add_on_duty_alert(session, 9003, "4520000012", "Aldrig", moment).id
    sender = Sender(session_maker, client(gateway_url, retries=1))
    control(gateway_url, fail_status=503, fail_times=1000)
    for pause in RETRY_PAUSES:
        sender.send_queued(moment)
        [text] = outbound(session_maker, text_id)
        assert text.status == "queued" and text.next_attempt_at == moment + timedelta(seconds=pause)
        moment = moment + timedelta(seconds=pause)
    sender.send_queued(moment)
    [text] = outbound(session_maker, text_id)
    assert (text.status, text.attempts) == ("failed", 2 * (len(RETRY_PAUSES) + 1))
    control(gateway_url)
