"""A local SMS gateway for `make run` and the tests, speaking what
GatewayAPI speaks (`bot run` starts it when SMS_GATEWAY_URL is not set):

- POST /rest/mtsms (`Authorization: Token SMS_GATEWAY_TOKEN`): a text to
  send; kept per number, answered with its id, and a delivery report
  (DELIVERED) posted to the webhook;
- the phone side: POST /phone/{msisdn}/send signs a message from that number
  (HS256 JWT with SMS_WEBHOOK_SECRET in X-Gwapi-Signature) and posts it to
  the Rasa server's webhook; GET /phone/{msisdn}/messages is what the phone
  shows (the demo site's phone page, bot/web/phone.py, and the tests read it);
- POST /control makes the next sends fail or wait (the client's tests).

Everything is in memory: a restart forgets the phones."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
import uuid
from typing import Any

import httpx
import jwt
from fastapi import BackgroundTasks, FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot.shared.settings import Settings, load_settings

WEBHOOK_PATH = "/webhooks/sms/webhook"
# The number the municipality's texts come from, as the phone shows it.
RECEIVER = "4570102030"


class Typed(BaseModel):
    message: str = Field(min_length=1, max_length=1000)


class Control(BaseModel):
    fail_status: int = 0  # answer this status ...
    fail_times: int = 0  # ... to the next this many sends
    delay: float = 0  # seconds before answering a send


def sign(claims: dict[str, Any], secret: str) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def inbound_claims(msisdn: str, message: str, message_id: int | None = None) -> dict[str, Any]:
    return {
        "id": message_id if message_id is not None else uuid.uuid4().int % 10**12,
        "msisdn": int(msisdn),
        "receiver": int(RECEIVER),
        "message": message,
        "senttime": int(time.time()),
        "webhook_label": "local",
    }


def make_gateway(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    webhook = f"{settings.rasa_url.rstrip('/')}{WEBHOOK_PATH}"
    phones: dict[str, list[dict[str, Any]]] = {}
    # Unique across restarts, as a real gateway's are: a delivery report names the
    # text by this id, and a restarted stand-in counting from the same number
    # again would report on texts sent before the restart.
    ids = itertools.count(time.time_ns() // 1000)
    lock = threading.Lock()
    control = Control()
    app = FastAPI(title="Local SMS gateway", docs_url=None, redoc_url=None, openapi_url=None)

    def keep(msisdn: str, entry: dict[str, Any]) -> None:
        with lock:
            phones.setdefault(msisdn, []).append(entry | {"at": time.time()})

    def report(gateway_id: int, msisdn: str, userref: str) -> None:
        claims = {"id": gateway_id, "msisdn": int(msisdn), "status": "DELIVERED", "userref": userref}
        # A real gateway retries; the local one does not.
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(webhook, json=claims, headers={"X-Gwapi-Signature": sign(claims, settings.sms_webhook_secret)})

    @app.post("/rest/mtsms")
    def send(body: dict[str, Any], tasks: BackgroundTasks, authorization: str = Header("")) -> JSONResponse:
        nonlocal control
        if authorization != f"Token {settings.sms_gateway_token}":
            return JSONResponse({"message": "Unauthorized"}, status_code=401)
        # Decided when the send arrives, with the control of that moment: a send
        # still waiting out a delay when the control changes is dropped, so
        # that one test's slow sends neither use up nor deliver into the next.
        arrived = control
        if arrived.fail_times > 0:
            control = Control(fail_status=arrived.fail_status, fail_times=arrived.fail_times - 1, delay=arrived.delay)
            return JSONResponse({"message": "failing on purpose"}, status_code=arrived.fail_status)
        if arrived.delay:
            time.sleep(arrived.delay)
            if control is not arrived:
                return JSONResponse({"message": "dropped: the control changed"}, status_code=503)
        recipients = body.get("recipients") or []
        message = str(body.get("message") or "")
        if not recipients or not message:
            return JSONResponse({"message": "recipients and message are required"}, status_code=422)
        sent = []
        for recipient in recipients:
            gateway_id, msisdn = next(ids), str(recipient.get("msisdn"))
            keep(msisdn, {"id": gateway_id, "direction": "out", "text": message, "sender": body.get("sender")})
            tasks.add_task(report, gateway_id, msisdn, str(body.get("userref") or ""))
            sent.append(gateway_id)
        return JSONResponse({"ids": sent})

    @app.post("/phone/{msisdn}/send")
    def typed(msisdn: str, body: Typed) -> dict[str, Any]:
        if not msisdn.isdigit():
            raise HTTPException(status_code=422)
        claims = inbound_claims(msisdn, body.message)
        keep(msisdn, {"id": claims["id"], "direction": "in", "text": body.message})
        try:
            response = httpx.post(
                webhook,
                json=claims,
                headers={"X-Gwapi-Signature": sign(claims, settings.sms_webhook_secret)},
                timeout=10,
            )
        except httpx.HTTPError:
            raise HTTPException(status_code=502, detail="the assistant did not answer") from None
        return {"id": claims["id"], "status": response.status_code}

    @app.get("/phone/{msisdn}/messages")
    def messages(msisdn: str) -> list[dict[str, Any]]:
        with lock:
            return list(phones.get(msisdn, []))

    @app.post("/control")
    def set_control(body: Control) -> dict[str, str]:
        nonlocal control
        control = body
        return {"status": "ok"}

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def __getattr__(name: str) -> Any:
    """`uvicorn bot.sms.gateway:app` builds the gateway from the environment when it is first asked for."""
    if name == "app":
        return make_gateway()
    raise AttributeError(name)
