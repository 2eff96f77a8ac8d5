"""Texts (SMS): the number behind each conversation, opt-out, the gateway's
inbound message ids, outbound texts and their delivery status, and the
young people's registered numbers. Repository functions take a session and
never commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.sms_models import OUTBOUND_STATUSES, OutboundStatus, SmsConversation, SmsInbound, SmsOutbound
from bot.db.youth_models import YouthProfile


class SmsError(ValueError):
    """Bad input for a number (the message is Danish)."""


# The number per conversation ----------------------------------------------


def conversation(session: Session, msisdn: str, conversation_id: str) -> SmsConversation:
    """The number's conversation, made on its first text."""
    row = session.scalar(select(SmsConversation).where(SmsConversation.msisdn == msisdn))
    if row is None:
        row = SmsConversation(conversation_id=conversation_id, msisdn=msisdn, offered="[]")
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another message from the number made it just now
            row = session.scalar(select(SmsConversation).where(SmsConversation.msisdn == msisdn))
            assert row is not None
    return row


def by_conversation(session: Session, conversation_id: str) -> SmsConversation | None:
    return session.scalar(select(SmsConversation).where(SmsConversation.conversation_id == conversation_id))


def by_number(session: Session, msisdn: str) -> SmsConversation | None:
    return session.scalar(select(SmsConversation).where(SmsConversation.msisdn == msisdn))


def register_inbound(session: Session, gateway_id: str, conversation_id: str, now: datetime) -> bool:
    """Record a message id from the gateway; False when it was recorded before (a retry)."""
    if session.scalar(select(SmsInbound.id).where(SmsInbound.gateway_id == gateway_id)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SmsInbound(gateway_id=gateway_id, conversation_id=conversation_id, received_at=now))
    except IntegrityError:  # the same retry, at the same moment
        return False
    return True


# Opt-out ------------------------------------------------------------------


def opt_out(session: Session, row: SmsConversation, now: datetime) -> bool:
    """STOP; False when the number had stopped already."""
    if row.opted_out_at is not None:
        return False
    row.opted_out_at = now
    session.flush()
    return True


def opt_in(session: Session, row: SmsConversation, now: datetime) -> bool:
    """START; False when the number had not stopped."""
    if row.opted_out_at is None:
        return False
    row.opted_out_at, row.opted_in_at = None, now
    session.flush()
    return True


def is_stopped(session: Session, msisdn: str) -> bool:
    row = by_number(session, msisdn)
    return row is not None and row.opted_out_at is not None


# Buttons offered by text ---------------------------------------------------


def offer(session: Session, row: SmsConversation, buttons: list[tuple[str, str]]) -> None:
    """The buttons (title, payload) of the latest text, numbered in this order."""
    row.offered = json.dumps([list(button) for button in buttons])
    session.flush()


def take_offered(session: Session, row: SmsConversation) -> list[tuple[str, str]]:
    """The buttons offered in the latest text; an answer uses them up."""
    offered = json.loads(row.offered or "[]")
    row.offered = "[]"
    session.flush()
    if not isinstance(offered, list):
        return []
    return [(str(b[0]), str(b[1])) for b in offered if isinstance(b, list) and len(b) == 2]


# Outbound texts -------------------------------------------------------------


def add_outbound(
    session: Session, row: SmsConversation, body: str, kind: str, now: datetime, *, force: bool = False
) -> SmsOutbound:
    """A text to send: queued, or suppressed when the number has stopped (unless `force`: the STOP receipt)."""
    stopped = row.opted_out_at is not None and not force
    text = SmsOutbound(
        conversation_id=row.conversation_id,
        msisdn=row.msisdn,
        body=body,
        kind=kind,
        status=OutboundStatus.SUPPRESSED if stopped else OutboundStatus.QUEUED,
        attempts=0,
        created_at=now,
        status_at=now if stopped else None,
    )
    session.add(text)
    session.flush()
    return text


ON_DUTY = "on_duty"


def on_duty_conversation(escalation_id: int) -> str:
    """What an on-duty text is filed under: the case, never a citizen's conversation."""
    return f"vagt:{escalation_id}"


def add_on_duty_alert(session: Session, escalation_id: int, msisdn: str, body: str, now: datetime) -> SmsOutbound:
    """A text to a team's on-duty phone about a case, queued for the SMS app's sender
    (which retries it from the database until the gateway takes it)."""
    text = SmsOutbound(
        conversation_id=on_duty_conversation(escalation_id),
        msisdn=msisdn,
        body=body,
        kind=ON_DUTY,
        status=OutboundStatus.QUEUED,
        attempts=0,
        created_at=now,
    )
    session.add(text)
    session.flush()
    return text


def on_duty_alerts(session: Session, escalation_ids: list[int]) -> dict[int, list[SmsOutbound]]:
    """The on-duty texts sent about these cases, oldest first, by case."""
    by_conversation = {on_duty_conversation(case): case for case in escalation_ids}
    query = select(SmsOutbound).where(SmsOutbound.conversation_id.in_(list(by_conversation)))
    found: dict[int, list[SmsOutbound]] = {}
    for text in session.scalars(query.order_by(SmsOutbound.id)):
        found.setdefault(by_conversation[text.conversation_id], []).append(text)
    return found


def queued(session: Session, now: datetime | None = None) -> list[SmsOutbound]:
    """Texts not sent yet, oldest first (also those left by a restart). With
    `now`: only those due, and none after a number's text that waits for its
    next attempt (a number reads its texts in the order they were written)."""
    query = select(SmsOutbound).where(SmsOutbound.status == OutboundStatus.QUEUED)
    texts = list(session.scalars(query.order_by(SmsOutbound.id)))
    if now is None:
        return texts
    waiting: set[str] = set()
    due = []
    for text in texts:
        if text.msisdn in waiting or (text.next_attempt_at is not None and text.next_attempt_at > now):
            waiting.add(text.msisdn)
        else:
            due.append(text)
    return due


def retry_outbound(session: Session, outbound_id: int, next_attempt_at: datetime, attempts: int) -> None:
    """The gateway could not take the text now: it stays queued until `next_attempt_at`."""
    text = session.get(SmsOutbound, outbound_id)
    if text is not None:
        text.attempts += attempts
        text.next_attempt_at = next_attempt_at
        session.flush()


def mark_outbound(
    session: Session, outbound_id: int, status: str, now: datetime, gateway_id: str | None = None, attempts: int = 0
) -> None:
    if status not in OUTBOUND_STATUSES:
        raise ValueError(status)
    text = session.get(SmsOutbound, outbound_id)
    if text is not None:
        text.status, text.status_at = status, now
        text.attempts += attempts
        if gateway_id is not None:
            text.gateway_id = gateway_id
        session.flush()


def delivery_report(session: Session, gateway_id: str, delivered: bool, now: datetime) -> bool:
    """The gateway's report on a text it accepted; False for an id we never sent. An id
    used again (another gateway or account since) reports on the latest text with it."""
    query = select(SmsOutbound).where(SmsOutbound.gateway_id == gateway_id).order_by(SmsOutbound.id.desc())
    text = session.scalars(query.limit(1)).first()
    if text is None:
        return False
    text.status = OutboundStatus.DELIVERED if delivered else OutboundStatus.UNDELIVERED
    text.status_at = now
    session.flush()
    return True


def outbound_of(session: Session, conversation_id: str) -> list[SmsOutbound]:
    query = select(SmsOutbound).where(SmsOutbound.conversation_id == conversation_id)
    return list(session.scalars(query.order_by(SmsOutbound.id)))


# Young people's numbers ------------------------------------------------------


@dataclass(frozen=True)
class Registered:
    profile_id: int
    first_name: str


def profile_by_number(session: Session, msisdn: str) -> Registered | None:
    profile = session.scalar(select(YouthProfile).where(YouthProfile.mobile == msisdn))
    return Registered(profile.id, profile.first_name) if profile is not None else None


def set_mobile(session: Session, reference: str, msisdn: str | None) -> YouthProfile:
    """Register (or with None remove) a young person's mobile number."""
    profile = session.scalar(select(YouthProfile).where(YouthProfile.reference == reference.strip().upper()))
    if profile is None:
        raise SmsError(f"Den unge {reference!r} findes ikke.")
    if msisdn is not None:
        other = session.scalar(select(YouthProfile).where(YouthProfile.mobile == msisdn, YouthProfile.id != profile.id))
        if other is not None:
            raise SmsError(f"Nummeret er allerede registreret på {other.reference}.")
    profile.mobile = msisdn
    session.flush()
    return profile


def mobile_of(session: Session, profile_id: int) -> str | None:
    profile = session.get(YouthProfile, profile_id)
    return profile.mobile if profile is not None else None
