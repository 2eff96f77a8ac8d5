"""Young people in aftercare: profiles, who a conversation is identified as,
pairing codes, and the receipts of their saves (a message sent again is
answered the same, saved once). Their mentor meetings are in
bot/db/meetings.py, their education in bot/db/education.py. Repository functions take a session and
never commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.models import utcnow
from bot.db.youth_models import (
    ConversationBinding,
    EducationEvent,
    MentorMeeting,
    PairingAttempt,
    PairingCode,
    SaveReceipt,
    YouthProfile,
)
from bot.youth.pairing import code_hash, new_code

Receipt = tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]  # the replies and what `fortryd` needs
RECEIPT_DAYS = 1  # a message is sent again within seconds; a day is plenty

CODE_MINUTES = 30
MAX_WRONG_CODES_PER_CONVERSATION = 5  # within WRONG_CODE_WINDOW
WRONG_CODE_WINDOW = timedelta(hours=1)
MAX_TRIES_PER_CODE = 3  # a used or expired code typed again counts against it
# Over all conversations: an attacker who starts a new conversation for every
# try gets no more than this many in a window (and locks codes out for
# everyone meanwhile, which a young person's contact person can help with).
MAX_WRONG_CODES_OVERALL = 30
OVERALL_WINDOW = timedelta(minutes=15)


class YouthError(ValueError):
    """Bad input for a profile or meeting (the message is Danish)."""


# Profiles -----------------------------------------------------------------


def create_profile(
    session: Session,
    *,
    reference: str,
    first_name: str,
    mentor_name: str,
    mentor_contact: str,
    aftercare_ends_on: date,
    programme: str | None = None,
    institution: str | None = None,
    plan_next_step: str = "",
) -> YouthProfile:
    reference = reference.strip().upper()
    if not reference or session.scalar(select(YouthProfile).where(YouthProfile.reference == reference)):
        raise YouthError(f"Referencen {reference!r} er tom eller findes allerede.")
    profile = YouthProfile(
        reference=reference,
        first_name=first_name.strip(),
        mentor_name=mentor_name.strip(),
        mentor_contact=mentor_contact.strip(),
        aftercare_ends_on=aftercare_ends_on,
        programme=programme,
        institution=institution,
        plan_next_step=plan_next_step,
    )
    session.add(profile)
    session.flush()
    return profile


def get_by_reference(session: Session, reference: str) -> YouthProfile | None:
    return session.scalar(select(YouthProfile).where(YouthProfile.reference == reference.strip().upper()))


def list_profiles(session: Session) -> list[YouthProfile]:
    return list(session.scalars(select(YouthProfile).order_by(YouthProfile.reference)))


def get_profile(session: Session, profile_id: int) -> YouthProfile | None:
    return session.get(YouthProfile, profile_id)


def stored_about(session: Session, profile_id: int) -> tuple[int, int]:
    """(meetings, education events) the municipality has about the young person."""
    meetings = session.scalar(
        select(func.count()).select_from(MentorMeeting).where(MentorMeeting.profile_id == profile_id)
    )
    events = session.scalar(
        select(func.count()).select_from(EducationEvent).where(EducationEvent.profile_id == profile_id)
    )
    return int(meetings or 0), int(events or 0)


# Identity -----------------------------------------------------------------


def _expired(row: ConversationBinding, now: datetime | None, idle: timedelta | None) -> bool:
    # A website token is checked on every message; a pairing holds until idle.
    return row.method == "pairing" and idle is not None and (now or utcnow()) - row.last_seen_at > idle


def bound_profile_id(
    session: Session, conversation_id: str, *, now: datetime | None = None, idle: timedelta | None = None
) -> tuple[int, str] | None:
    """(profile id, method) the conversation is identified as, if any (and not idle longer than `idle`)."""
    row = session.scalar(select(ConversationBinding).where(ConversationBinding.conversation_id == conversation_id))
    return (row.profile_id, row.method) if row and not _expired(row, now, idle) else None


def touch_binding(session: Session, conversation_id: str, now: datetime) -> None:
    row = session.scalar(select(ConversationBinding).where(ConversationBinding.conversation_id == conversation_id))
    if row is not None:
        row.last_seen_at = now
        session.flush()


def bind(session: Session, conversation_id: str, profile_id: int, method: str) -> bool:
    """Identify the conversation as this profile. False (and nothing changes)
    when it is already identified as someone else: they must log out first."""
    row = session.scalar(select(ConversationBinding).where(ConversationBinding.conversation_id == conversation_id))
    if row is not None:
        if row.profile_id != profile_id:
            return False
        row.method = method
        row.last_seen_at = utcnow()
    else:
        session.add(ConversationBinding(conversation_id=conversation_id, profile_id=profile_id, method=method))
    session.flush()
    return True


def unbind(session: Session, conversation_id: str) -> bool:
    result = session.execute(delete(ConversationBinding).where(ConversationBinding.conversation_id == conversation_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def forget_conversation(session: Session, conversation_id: str) -> bool:
    """Unbind the conversation and drop its wrong-code attempts and save receipts; True if it was bound."""
    session.execute(delete(PairingAttempt).where(PairingAttempt.conversation_id == conversation_id))
    session.execute(delete(SaveReceipt).where(SaveReceipt.conversation_id == conversation_id))
    return unbind(session, conversation_id)


def purge_pairing(session: Session, now: datetime) -> int:
    """Codes expired a day ago and attempts older than the lock window; returns rows deleted."""
    codes = session.execute(delete(PairingCode).where(PairingCode.expires_at < now - timedelta(days=1)))
    attempts = session.execute(delete(PairingAttempt).where(PairingAttempt.at < now - WRONG_CODE_WINDOW))
    return int(codes.rowcount or 0) + int(attempts.rowcount or 0)  # type: ignore[attr-defined]


def conversations_of(
    session: Session, profile_id: int, *, now: datetime | None = None, idle: timedelta | None = None
) -> list[str]:
    """The conversations bound to the profile (not idle longer than `idle`), latest first."""
    query = select(ConversationBinding).where(ConversationBinding.profile_id == profile_id)
    rows = session.scalars(query.order_by(ConversationBinding.bound_at.desc()))
    return [row.conversation_id for row in rows if not _expired(row, now, idle)]


def issue_code(
    session: Session,
    profile: YouthProfile,
    *,
    secret: str,
    created_by: str,
    now: datetime | None = None,
    minutes: int = CODE_MINUTES,
) -> str:
    """A new one-time code for the profile; the plain code is shown once, only its hash is kept."""
    now = now or utcnow()
    code = new_code()
    session.add(
        PairingCode(
            profile_id=profile.id,
            code_hash=code_hash(code, secret),
            created_by=created_by,
            expires_at=now + timedelta(minutes=minutes),
            failed_attempts=0,
            created_at=now,
        )
    )
    session.flush()
    return code


@dataclass(frozen=True)
class Redemption:
    outcome: str  # "bound", "wrong", "expired", "used", "locked", "busy", "other_profile"
    profile: YouthProfile | None = None


def wrong_codes_recently(session: Session, conversation_id: str, now: datetime) -> int:
    query = (
        select(func.count())
        .select_from(PairingAttempt)
        .where(PairingAttempt.conversation_id == conversation_id, PairingAttempt.at >= now - WRONG_CODE_WINDOW)
    )
    return int(session.scalar(query) or 0)


def wrong_codes_overall(session: Session, now: datetime) -> int:
    query = select(func.count()).select_from(PairingAttempt).where(PairingAttempt.at >= now - OVERALL_WINDOW)
    return int(session.scalar(query) or 0)


def redeem_code(
    session: Session, conversation_id: str, code: str, *, secret: str, now: datetime | None = None
) -> Redemption:
    now = now or utcnow()
    if wrong_codes_recently(session, conversation_id, now) >= MAX_WRONG_CODES_PER_CONVERSATION:
        return Redemption("locked")
    if wrong_codes_overall(session, now) >= MAX_WRONG_CODES_OVERALL:
        return Redemption("busy")
    row = session.scalar(select(PairingCode).where(PairingCode.code_hash == code_hash(code, secret)))
    if row is None:
        session.add(PairingAttempt(conversation_id=conversation_id, at=now))
        session.flush()
        return Redemption("wrong")
    if row.used_at is not None or row.expires_at <= now or row.failed_attempts >= MAX_TRIES_PER_CODE:
        row.failed_attempts += 1
        session.add(PairingAttempt(conversation_id=conversation_id, at=now))
        session.flush()
        return Redemption("used" if row.used_at is not None else "expired")
    profile = session.get(YouthProfile, row.profile_id)
    if profile is None or not bind(session, conversation_id, profile.id, "pairing"):
        return Redemption("other_profile")
    row.used_at = now
    session.flush()
    return Redemption("bound", profile)


def find_receipt(session: Session, conversation_id: str, message_id: str, action: str) -> Receipt | None:
    """What the action answered to this message of the conversation, if it saved something."""
    row = session.scalar(
        select(SaveReceipt).where(
            SaveReceipt.conversation_id == conversation_id,
            SaveReceipt.message_id == message_id,
            SaveReceipt.action == action,
        )
    )
    if row is None:
        return None
    return [(name, values) for name, values in json.loads(row.replies)], json.loads(row.remembered)


def add_receipt(session: Session, conversation_id: str, message_id: str, action: str, receipt: Receipt) -> None:
    """Keep the save's answer with the save, in its transaction: both are written, or neither."""
    replies, remembered = receipt
    session.add(
        SaveReceipt(
            conversation_id=conversation_id,
            message_id=message_id,
            action=action,
            replies=json.dumps([[name, values] for name, values in replies], ensure_ascii=False),
            remembered=json.dumps(remembered, ensure_ascii=False),
        )
    )
    session.flush()


def purge_receipts(session: Session, now: datetime) -> int:
    """Receipts older than RECEIPT_DAYS; returns rows deleted."""
    deleted = session.execute(delete(SaveReceipt).where(SaveReceipt.created_at < now - timedelta(days=RECEIPT_DAYS)))
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]
