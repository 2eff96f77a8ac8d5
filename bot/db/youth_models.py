"""The young people in aftercare: profiles, mentor meetings, education events,
and how a conversation is identified as one of them (pairing codes, bindings).

bot/db/models.py imports this module at its end, so importing the models
registers every table; this module imports bot/db/base.py, never models.py,
so there is no import cycle."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.shared.clock import utc_now


class MeetingStatus:
    REQUESTED = "requested"  # the young person asked; the mentor has not confirmed yet
    CONFIRMED = "confirmed"
    HELD = "held"
    MOVED = "moved"  # replaced by a new meeting (replaces_id points back here)
    CANCELLED = "cancelled"


class YouthProfile(Base):
    """A young person (18-22) in aftercare, their mentor and their education plan.
    Identified in the chat only by a website token or a pairing code."""

    __tablename__ = "youth_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(60))
    mentor_name: Mapped[str] = mapped_column(String(100))
    mentor_contact: Mapped[str] = mapped_column(String(200))
    aftercare_ends_on: Mapped[date] = mapped_column(Date)
    programme: Mapped[str | None] = mapped_column(String(100))
    institution: Mapped[str | None] = mapped_column(String(150))
    plan_next_step: Mapped[str] = mapped_column(Text, default="")
    # Digits with the country code (4512345678): a text from it is this young person (bot/sms/).
    mobile: Mapped[str | None] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class MentorMeeting(Base):
    """A meeting with the mentor or contact person. Nothing is deleted: a move
    marks this one `moved` and adds the new one; a cancellation keeps the row."""

    __tablename__ = "mentor_meetings"
    __table_args__ = (
        CheckConstraint("status IN ('requested', 'confirmed', 'held', 'moved', 'cancelled')", name="status_known"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_1_to_5"),
        CheckConstraint("staff_notice IS NULL OR staff_notice IN ('confirmed', 'moved')", name="staff_notice_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("youth_profiles.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    window_first: Mapped[date | None] = mapped_column(Date)
    window_last: Mapped[date | None] = mapped_column(Date)
    window_text: Mapped[str | None] = mapped_column(String(200))
    with_whom: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int | None] = mapped_column(Integer)
    how_it_went: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(String(300))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_meetings.id"))
    conversation_id: Mapped[str | None] = mapped_column(String(255))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Taken by one reminder scheduler before it sends (bot/youth/reminders.py): with
    # several running, or one restarted, a reminder goes out once.
    reminder_claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What the young person is to be told about staff's latest change (confirmed or
    # moved), until it is told: then when and how (sms, chat, or none: a stopped
    # number without a chat, or a meeting already past). Kept, so a restart of the
    # reminder job neither loses nor repeats it (bot/youth/notices.py).
    staff_notice: Mapped[str | None] = mapped_column(String(20))
    staff_notice_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    staff_notice_channel: Mapped[str | None] = mapped_column(String(20))
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class EducationEvent(Base):
    """A change in a young person's education: started, changed, paused, stopped or finished."""

    __tablename__ = "education_events"
    __table_args__ = (
        CheckConstraint("kind IN ('started', 'changed', 'paused', 'stopped', 'finished')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("youth_profiles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    programme: Mapped[str] = mapped_column(String(100))
    institution: Mapped[str | None] = mapped_column(String(150))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PairingCode(Base):
    """A one-time code staff issue so a young person can identify in the chat."""

    __tablename__ = "pairing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("youth_profiles.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ConversationBinding(Base):
    """Which young person a conversation is identified as (one at a time)."""

    __tablename__ = "conversation_bindings"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), unique=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("youth_profiles.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # "token" or "pairing"
    bound_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The latest message of the identified young person: a pairing expires when idle.
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PairingAttempt(Base):
    """A wrong pairing code typed in a conversation (the limit per conversation)."""

    __tablename__ = "pairing_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SaveReceipt(Base):
    """What a young person's save answered, by the message that asked for it:
    a message sent again (the widget, after the Rasa server that handled it
    died having had the save written but before it stored the turn) gets the
    same answer and saves nothing twice. Kept a day (bot/retention.py)."""

    __tablename__ = "save_receipts"
    __table_args__ = (UniqueConstraint("conversation_id", "message_id", "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    replies: Mapped[str] = mapped_column(Text)  # JSON: [[response, values], ...]
    remembered: Mapped[str] = mapped_column(Text)  # JSON: what `fortryd` needs to take it back
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
