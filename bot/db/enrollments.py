from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, joinedload

from bot.db.models import CourseEnrollment, CourseTeam, EnrollmentLookupAttempt, EnrollmentStatus, utcnow
from bot.db.teams import release_seat, take_seat

# No 0/O, 1/I/L: the code is read aloud on the phone and typed on mobiles.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_PREFIX = "FMH-"
# Checking or cancelling an enrollment needs its code and its contact. Wrong
# tries are limited per code (someone guessing the contact of a code they
# saw) and overall (someone guessing codes from many conversations).
MAX_WRONG_LOOKUPS_PER_CODE = 5
PER_CODE_WINDOW = timedelta(hours=24)
MAX_WRONG_LOOKUPS_OVERALL = 40
OVERALL_WINDOW = timedelta(minutes=15)
# Per conversation in the database, not in a slot: a slot starts again at 0
# with every new look-up in the same conversation.
MAX_WRONG_LOOKUPS_PER_CONVERSATION = 3
PER_CONVERSATION_WINDOW = timedelta(hours=1)
# New enrollments with one e-mail or phone number in a day: past this many,
# an enrollment is held (no seat; a case for staff to check it) and answered
# like any other, so that nobody learns from the answer whether someone
# enrolled with that contact before; past MAX_HELD_PER_CONTACT nothing more is
# stored and the citizen is asked to call.
MAX_NEW_ENROLLMENTS_PER_CONTACT = 2
MAX_HELD_PER_CONTACT = 10
PER_CONTACT_WINDOW = timedelta(hours=24)


class TeamFullError(Exception):
    """The chosen team had no free seat when the enrollment was written."""


@dataclass(frozen=True)
class NewEnrollment:
    team_id: int
    parent_name: str
    partner_name: str | None
    due_date: date | None
    birth_date: date | None
    email: str | None
    phone: str | None
    conversation_id: str
    consent_text: str
    message_id: str | None = None  # the message whose yes writes it: one enrollment per message


def new_reference_code() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))


def _unused_reference_code(session: Session) -> str:
    while True:
        code = new_reference_code()
        if find_by_reference(session, code) is None:
            return code


def find_by_reference(session: Session, reference_code: str) -> CourseEnrollment | None:
    query = (
        select(CourseEnrollment)
        .options(joinedload(CourseEnrollment.team))
        .where(CourseEnrollment.reference_code == reference_code.upper())
    )
    return session.scalar(query)


def get_enrollment(session: Session, enrollment_id: int) -> CourseEnrollment | None:
    return session.get(CourseEnrollment, enrollment_id, options=[joinedload(CourseEnrollment.team)])


def _contact_clauses(email: str | None, phone: str | None) -> list[Any]:
    return ([CourseEnrollment.email == email] if email else []) + ([CourseEnrollment.phone == phone] if phone else [])


def new_enrollments_with_contact(
    session: Session, *, email: str | None, phone: str | None, now: datetime | None = None
) -> int:
    """Enrollments made with this e-mail or phone number within PER_CONTACT_WINDOW."""
    clauses = _contact_clauses(email, phone)
    if not clauses:
        return 0
    since = (now or utcnow()) - PER_CONTACT_WINDOW
    query = (
        select(func.count()).select_from(CourseEnrollment).where(or_(*clauses), CourseEnrollment.created_at >= since)
    )
    return int(session.scalar(query) or 0)


@dataclass(frozen=True)
class Lookup:
    outcome: str  # "found", "no_match" or "limited"
    enrollment: CourseEnrollment | None = None


def look_up(
    session: Session,
    conversation_id: str,
    reference_code: str,
    *,
    email: str | None,
    phone: str | None,
    now: datetime | None = None,
) -> Lookup:
    """The enrollment with this code *and* this contact. A miss says only
    "no match" (not whether the code exists) and counts against the limits."""
    now = now or utcnow()
    code = reference_code.upper()
    wrong = select(func.count()).select_from(EnrollmentLookupAttempt)
    per_code = (
        session.scalar(
            wrong.where(
                EnrollmentLookupAttempt.reference_code == code, EnrollmentLookupAttempt.at >= now - PER_CODE_WINDOW
            )
        )
        or 0
    )
    overall = session.scalar(wrong.where(EnrollmentLookupAttempt.at >= now - OVERALL_WINDOW)) or 0
    mine = (
        session.scalar(
            wrong.where(
                EnrollmentLookupAttempt.conversation_id == conversation_id,
                EnrollmentLookupAttempt.at >= now - PER_CONVERSATION_WINDOW,
            )
        )
        or 0
    )
    if (
        per_code >= MAX_WRONG_LOOKUPS_PER_CODE
        or overall >= MAX_WRONG_LOOKUPS_OVERALL
        or mine >= MAX_WRONG_LOOKUPS_PER_CONVERSATION
    ):
        return Lookup("limited")
    enrollment = find_by_reference(session, code)
    if enrollment is not None and ((email and email == enrollment.email) or (phone and phone == enrollment.phone)):
        return Lookup("found", enrollment)
    session.add(EnrollmentLookupAttempt(reference_code=code[:12], conversation_id=conversation_id, at=now))
    session.flush()
    return Lookup("no_match")


def purge_lookup_attempts(session: Session, now: datetime) -> int:
    result = session.execute(delete(EnrollmentLookupAttempt).where(EnrollmentLookupAttempt.at < now - PER_CODE_WINDOW))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def find_active_for_conversation(session: Session, conversation_id: str) -> CourseEnrollment | None:
    query = (
        select(CourseEnrollment)
        .options(joinedload(CourseEnrollment.team))
        .where(CourseEnrollment.conversation_id == conversation_id)
        .where(CourseEnrollment.status == EnrollmentStatus.ACTIVE)
        .order_by(CourseEnrollment.created_at.desc())
        .limit(1)
    )
    return session.scalar(query)


def find_by_message(session: Session, conversation_id: str, message_id: str) -> CourseEnrollment | None:
    """The enrollment this message of the conversation wrote, if it did (the same yes sent again)."""
    query = (
        select(CourseEnrollment)
        .options(joinedload(CourseEnrollment.team))
        .where(CourseEnrollment.conversation_id == conversation_id, CourseEnrollment.message_id == message_id)
    )
    return session.scalar(query)


def create_enrollment(session: Session, data: NewEnrollment, *, held: bool = False) -> CourseEnrollment:
    """Take a seat on the team and add the enrollment; raises TeamFullError.
    A held one takes no seat (staff confirm it), but a full team refuses it
    all the same: its answer must not differ from an ordinary enrollment's."""
    if held:
        team = session.get(CourseTeam, data.team_id)
        if team is None or team.seats_free <= 0:
            raise TeamFullError(data.team_id)
    elif not take_seat(session, data.team_id):
        raise TeamFullError(data.team_id)
    enrollment = CourseEnrollment(
        reference_code=_unused_reference_code(session),
        team_id=data.team_id,
        status=EnrollmentStatus.HELD if held else EnrollmentStatus.ACTIVE,
        parent_name=data.parent_name,
        partner_name=data.partner_name,
        due_date=data.due_date,
        birth_date=data.birth_date,
        email=data.email,
        phone=data.phone,
        conversation_id=data.conversation_id,
        message_id=data.message_id,
        consent_text=data.consent_text,
    )
    session.add(enrollment)
    session.flush()
    return enrollment


def cancel_enrollment(session: Session, enrollment: CourseEnrollment) -> None:
    """Mark the enrollment cancelled and free its seat; the row is kept."""
    if enrollment.status == EnrollmentStatus.CANCELLED:
        return
    if enrollment.status == EnrollmentStatus.ACTIVE:
        release_seat(session, enrollment.team_id)  # a held one took none
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.cancelled_at = utcnow()
    session.flush()


def delete_cancelled_before(session: Session, cutoff: datetime) -> int:
    """Cancelled enrollments are kept a while (the parent may ask), then deleted."""
    rows = session.scalars(
        select(CourseEnrollment).where(
            CourseEnrollment.status == EnrollmentStatus.CANCELLED, CourseEnrollment.cancelled_at < cutoff
        )
    ).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def delete_with_child_date_before(session: Session, child_date_before: date) -> int:
    """Enrollments whose course is over: the child (born or due) is past the course window."""
    child_date = func.coalesce(CourseEnrollment.birth_date, CourseEnrollment.due_date)
    rows = session.scalars(select(CourseEnrollment).where(child_date < child_date_before)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def list_by_conversation(session: Session, conversation_id: str) -> list[CourseEnrollment]:
    query = (
        select(CourseEnrollment)
        .options(joinedload(CourseEnrollment.team))
        .where(CourseEnrollment.conversation_id == conversation_id)
        .order_by(CourseEnrollment.created_at)
    )
    return list(session.scalars(query))


def delete_by_conversation(session: Session, conversation_id: str) -> int:
    """Delete the enrollments made in a conversation; active ones free their seat."""
    rows = list_by_conversation(session, conversation_id)
    for row in rows:
        if row.status == EnrollmentStatus.ACTIVE:
            release_seat(session, row.team_id)
        session.delete(row)
    session.flush()
    return len(rows)
