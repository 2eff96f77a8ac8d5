"""The application's internal SMS app (127.0.0.1 only; every request needs
SMS_INTERNAL_SECRET in a header). The Rasa server's sms channel
(bot/rasa_server/channels/sms.py) calls it, and the database stays here:

- inbound: a message the gateway posted (its signature already checked by
  the channel) is registered: a message id seen before is a retry (answer
  `duplicate`); STOP and START are handled here (recorded, confirmed once by
  text, not passed to the assistant); otherwise the answer names the
  conversation (one per number), the young person the number is registered
  to, and the text to hand to Rasa (an answer "2" to numbered choices becomes
  the offered button's payload). Past `sms.messages_per_minute` from one
  number (the municipality file) a text is acknowledged and nothing more:
  not registered, not passed to the assistant; the number is told to wait
  once a minute, not once per text. A STOP is always taken (its receipt
  goes only when it changes something, which needs a START within the limit);
- outbox: the assistant's, staff's and reminders' messages for a
  conversation, rendered as texts and queued (suppressed for a number that
  has stopped); a worker thread sends the queue in order through the client;
- status: the gateway's delivery reports.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import Any, Literal, TypeVar

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import sms as repo
from bot.db.session import database_answers, make_sessionmaker
from bot.domain import load_domain
from bot.shared.clock import utc_now
from bot.shared.limits import SlidingWindow
from bot.shared.municipality import Municipality, current_municipality
from bot.shared.protocol import SMS_INBOUND_PATH, SMS_OUTBOX_PATH, SMS_SECRET_HEADER, SMS_STATUS_PATH
from bot.shared.settings import Settings, load_settings
from bot.sms.client import GatewayError, SmsClient
from bot.sms.numbers import conversation_id_for, normalize
from bot.sms.render import answered_payload, is_start, is_stop, render, split

logger = logging.getLogger(__name__)


class Inbound(BaseModel):
    id: str = Field(max_length=64)
    msisdn: str = Field(max_length=20)
    message: str = Field(max_length=5000)


class Button(BaseModel):
    title: str = ""
    payload: str = ""


class Message(BaseModel):
    text: str = ""
    buttons: list[Button] = []
    image: str = ""


class Outbox(BaseModel):
    conversation_id: str = Field(max_length=64)
    messages: list[Message]
    kind: Literal["reply", "reminder"] = "reply"


class Status(BaseModel):
    id: str = Field(max_length=64)
    status: str = Field(max_length=40)


@lru_cache(maxsize=1)
def response_text(name: str) -> str:
    return str((load_domain()["responses"].get(name) or [{"text": ""}])[0]["text"])


T = TypeVar("T")
_WRITES = threading.Lock()


def write(sessions: sessionmaker[Session], work: Callable[[Session], T], tries: int = 5) -> T:
    """One transaction, one at a time in this process (the handlers and the sender
    thread), tried again when SQLite says another process holds the lock."""
    for attempt in range(1, tries + 1):
        try:
            with _WRITES, sessions.begin() as session:
                return work(session)
        except OperationalError as error:
            if "locked" not in str(error.orig) or attempt == tries:
                raise
            time.sleep(0.1 * attempt)
    raise AssertionError("unreachable")


def mark(session: Session, *, outbound_id: int, status: str, gateway_id: str | None, attempts: int) -> None:
    repo.mark_outbound(session, outbound_id, status, utc_now(), gateway_id, attempts)


# Pauses before a text the gateway could not take is tried again: about an hour in all.
RETRY_PAUSES = (30, 60, 120, 300, 600, 1200, 1800)


class Sender:
    """Sends the queued texts, oldest first, one at a time: the order people read them in."""

    def __init__(self, sessions: sessionmaker[Session], client: SmsClient) -> None:
        self.sessions, self.client = sessions, client
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="sms-sender", daemon=True)

    def run(self) -> None:
        while not self.stopping.is_set():
            self.wake.wait(timeout=5)
            self.wake.clear()
            try:
                self.send_queued()
            except Exception:  # the worker keeps going; the text stays queued
                logger.exception("sms: sending the queue failed")

    def send_queued(self, now: datetime | None = None) -> int:
        """Send what is due; the number of texts tried. A text the gateway could
        not take (down, 5xx, no answer) stays queued and is tried again after
        a growing pause (RETRY_PAUSES), so an outage of the gateway loses
        nothing; one it refused (4xx), or still failing after the last pause, is failed."""
        moment = now or utc_now()
        with self.sessions() as session:
            queue = [(text.id, text.msisdn, text.body, text.attempts) for text in repo.queued(session, moment)]
        failing: set[str] = set()
        for outbound_id, msisdn, body, tried in queue:
            if msisdn in failing:
                continue  # after its earlier text: keep the order the number reads them in
            try:
                sent = self.client.send(msisdn, body, userref=str(outbound_id))
            except GatewayError as error:
                rounds = 1 + tried // (self.client.retries + 1)
                if error.retryable and rounds <= len(RETRY_PAUSES):
                    failing.add(msisdn)
                    later = moment + timedelta(seconds=RETRY_PAUSES[rounds - 1])
                    write(
                        self.sessions,
                        partial(
                            repo.retry_outbound, outbound_id=outbound_id, next_attempt_at=later, attempts=error.attempts
                        ),
                    )
                    continue
                status, gateway_id, attempts = "failed", None, error.attempts
            else:
                status, gateway_id, attempts = "sent", sent.gateway_id, sent.attempts
            write(
                self.sessions,
                partial(mark, outbound_id=outbound_id, status=status, gateway_id=gateway_id, attempts=attempts),
            )
        return len(queue)


class Flood:
    """Texts per number a minute. In memory, like the Rasa server's limits
    (bot/shared/limits.py): a restart forgets them. The handlers run in a
    thread pool, so the windows are kept under a lock."""

    def __init__(self, municipality: Municipality) -> None:
        # Never above the Rasa server's limit per conversation (one conversation per
        # number): that one would answer every further text, each a paid message.
        limit = min(municipality.sms.messages_per_minute, municipality.security.messages_per_minute)
        self.per_number = SlidingWindow(limit, 60)
        self.told = SlidingWindow(1, 60)
        self.lock = threading.Lock()
        self.notice = response_text("utter_too_many_messages").format_map({"municipality_phone": municipality.phone})

    def check(self, msisdn: str, stop: bool) -> tuple[bool, bool]:
        """Whether the text is within the limit, and (when it is not) whether to tell the number now."""
        with self.lock:
            within = self.per_number.allow(msisdn)
            return within, not within and not stop and self.told.allow(msisdn)


def tell_limited(session: Session, *, msisdn: str, conversation_id: str, text: str) -> None:
    row = repo.conversation(session, msisdn, conversation_id)
    repo.add_outbound(session, row, text, "limit", utc_now())


def make_app(settings: Settings | None = None, municipality: Municipality | None = None) -> FastAPI:
    settings = settings or load_settings()
    sessions = make_sessionmaker(settings.database_url, immediate=True)
    client = SmsClient(settings.sms_gateway_base, settings.sms_gateway_token, settings.sms_sender)
    sender = Sender(sessions, client)
    flood = Flood(municipality or current_municipality())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sender.thread.start()
        sender.wake.set()  # what a restart left queued
        yield
        sender.stopping.set()
        sender.wake.set()

    app = FastAPI(title="SMS (internal)", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)

    def internal(secret: str = Header("", alias=SMS_SECRET_HEADER)) -> None:
        if not settings.sms_internal_secret or not hmac.compare_digest(
            secret.encode(), settings.sms_internal_secret.encode()
        ):
            raise HTTPException(status_code=401)

    @app.post(SMS_INBOUND_PATH, dependencies=[Depends(internal)])
    def inbound(message: Inbound) -> dict[str, Any]:
        msisdn = normalize(message.msisdn)
        if msisdn is None:
            raise HTTPException(status_code=422, detail="not a number")
        conversation_id = conversation_id_for(msisdn, settings.sms_number_key)
        now = utc_now()
        # Before anything is stored; a gateway's retry counts too (it is acknowledged like the rest).
        stop = is_stop(message.message)
        within, tell = flood.check(msisdn, stop=stop)
        if not within and not stop:
            if tell:
                write(
                    sessions, partial(tell_limited, msisdn=msisdn, conversation_id=conversation_id, text=flood.notice)
                )
                sender.wake.set()
            return {"duplicate": False, "handled": True, "limited": True}

        def register(session: Session) -> dict[str, Any]:
            row = repo.conversation(session, msisdn, conversation_id)
            if not repo.register_inbound(session, message.id, row.conversation_id, now):
                return {"duplicate": True}
            row.last_inbound_at = now
            answer: dict[str, Any] = {"duplicate": False, "conversation_id": row.conversation_id, "handled": False}
            if is_stop(message.message) or is_start(message.message):
                changed = (repo.opt_out if is_stop(message.message) else repo.opt_in)(session, row, now)
                if changed:  # confirmed once
                    receipt = response_text("utter_sms_stopped" if is_stop(message.message) else "utter_sms_started")
                    repo.add_outbound(session, row, receipt, "optout", now, force=True)
                return answer | {"handled": True}
            offered = repo.take_offered(session, row)
            registered = repo.profile_by_number(session, msisdn)
            return answer | {
                "text": answered_payload(message.message, offered) or message.message,
                "profile_id": registered.profile_id if registered else None,
                "stopped": row.opted_out_at is not None,
            }

        answer = write(sessions, register)
        sender.wake.set()
        return answer

    @app.post(SMS_OUTBOX_PATH, dependencies=[Depends(internal)])
    def outbox(batch: Outbox) -> dict[str, int]:
        now = utc_now()

        def queue(session: Session) -> int:
            queued = 0
            row = repo.by_conversation(session, batch.conversation_id)
            if row is None:
                raise HTTPException(status_code=404, detail="no number for this conversation")
            for message in batch.messages:
                buttons = [(b.title, b.payload) for b in message.buttons if b.payload]
                if buttons:
                    repo.offer(session, row, buttons)
                body = render("\n\n".join(p for p in (message.text, message.image) if p), buttons)
                for part in split(body):
                    repo.add_outbound(session, row, part, batch.kind, now)
                    queued += 1
            return queued

        queued = write(sessions, queue)
        sender.wake.set()
        return {"queued": queued}

    @app.post(SMS_STATUS_PATH, dependencies=[Depends(internal)])
    def status(report: Status) -> dict[str, bool]:
        delivered = report.status.upper() == "DELIVERED"
        final = delivered or report.status.upper() in ("UNDELIVERED", "REJECTED", "EXPIRED", "SKIPPED")
        if not final:
            return {"known": True}
        known = write(sessions, lambda session: repo.delivery_report(session, report.id, delivered, utc_now()))
        return {"known": known}

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready")
    def ready() -> JSONResponse:
        """Whether the texts can be registered and queued: the municipal database answers."""
        if database_answers(sessions):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    app.state.sender = sender
    return app


def __getattr__(name: str) -> Any:
    """`uvicorn bot.sms.app:app` builds the app from the environment when it is first asked for."""
    if name == "app":
        return make_app()
    raise AttributeError(name)
