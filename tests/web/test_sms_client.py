"""The SMS client against the local gateway (bot/sms/gateway.py), a real
HTTP server: a long text split into messages, retries on 5xx and on a
timeout, none on 4xx, and no message text in the log."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
import uvicorn

from bot.shared.settings import load_settings
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
