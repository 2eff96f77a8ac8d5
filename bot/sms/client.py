"""Sending texts through the municipality's SMS gateway (GatewayAPI's REST
API: POST {base}/rest/mtsms with `Authorization: Token …`), or the local
gateway of `make run` (bot/sms/gateway.py), which speaks the same.

A timeout, and retries with a growing pause on a network error or a 5xx
answer; a 4xx answer is the gateway refusing this text (a bad number, a bad
token) and is not retried. Errors are logged with the status and the
number's last digits, never the text."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)


class GatewayError(RuntimeError):
    """The text was not accepted."""

    def __init__(self, message: str, *, attempts: int, retryable: bool) -> None:
        super().__init__(message)
        self.attempts, self.retryable = attempts, retryable


@dataclass(frozen=True)
class Sent:
    gateway_id: str
    attempts: int


def _tail(msisdn: str) -> str:
    return f"…{msisdn[-2:]}"


class SmsClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        sender: str,
        *,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url, self.token, self.sender = base_url.rstrip("/"), token, sender
        self.timeout, self.retries, self.backoff, self.sleep = timeout, retries, backoff, sleep

    def send(self, msisdn: str, text: str, userref: str = "") -> Sent:
        """Send one message (the gateway sends a long one as concatenated SMS); its id at the gateway."""
        body = {
            "sender": self.sender,
            "message": text,
            "recipients": [{"msisdn": int(msisdn)}],
            "userref": userref,
        }
        headers = {"Authorization": f"Token {self.token}"}
        attempts = 0
        while True:
            attempts += 1
            problem: str
            try:
                response = httpx.post(f"{self.base_url}/rest/mtsms", json=body, headers=headers, timeout=self.timeout)
            except httpx.TransportError as error:
                problem = type(error).__name__
            else:
                if response.status_code < 300:
                    ids = response.json().get("ids") or [""]
                    return Sent(str(ids[0]), attempts)
                if response.status_code < 500:
                    logger.warning("sms: the gateway refused a text to %s: %s", _tail(msisdn), response.status_code)
                    raise GatewayError(f"refused: {response.status_code}", attempts=attempts, retryable=False)
                problem = f"HTTP {response.status_code}"
            if attempts > self.retries:
                logger.warning("sms: a text to %s failed after %d attempts: %s", _tail(msisdn), attempts, problem)
                raise GatewayError(f"failed: {problem}", attempts=attempts, retryable=True)
            logger.info("sms: retrying a text to %s after %s", _tail(msisdn), problem)
            self.sleep(self.backoff * 2 ** (attempts - 1))
