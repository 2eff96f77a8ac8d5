"""Texts (SMS): the number behind each SMS conversation and its opt-out,
the gateway's inbound message ids (a retried message is handled once) and
the outbound texts with their delivery status.

bot/db/models.py imports this module at its end, like youth_models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.shared.clock import utc_now


class OutboundStatus:
    QUEUED = "queued"
    SENT = "sent"  # accepted by the gateway
    DELIVERED = "delivered"  # the gateway's delivery report
    UNDELIVERED = "undelivered"
    FAILED = "failed"  # the gateway refused it, or never answered after the retries
    SUPPRESSED = "suppressed"  # the number has opted out: not sent


OUTBOUND_STATUSES = ("queued", "sent", "delivered", "undelivered", "failed", "suppressed")


class SmsConversation(Base):
    """One conversation per number; the conversation id is not the number."""

    __tablename__ = "sms_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), unique=True)
    msisdn: Mapped[str] = mapped_column(String(20), unique=True)
    # STOP: no text goes to the number until START.
    opted_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opted_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The payloads of the buttons offered in the latest text ("1" answers the first), as JSON.
    offered: Mapped[str] = mapped_column(Text, default="[]")
    last_inbound_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SmsInbound(Base):
    """A message the gateway posted (its id only, never the text: that is in the conversation)."""

    __tablename__ = "sms_inbound"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway_id: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SmsOutbound(Base):
    """A text to a number, and what became of it."""

    __tablename__ = "sms_outbound"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    msisdn: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    # reply (the assistant or staff through Rasa), reminder, optout (the STOP/START confirmation),
    # limit (the number sent too many texts: told to wait, once a minute)
    kind: Mapped[str] = mapped_column(String(20), default="reply")
    status: Mapped[str] = mapped_column(String(20), default=OutboundStatus.QUEUED)
    gateway_id: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Queued after the gateway failed: not tried again before this (bot/sms/app.py's Sender).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
