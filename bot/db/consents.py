"""Consent records: asked before personal data is stored, kept as long as
what they cover, deleted with it."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import ConsentRecord, CourseEnrollment, utcnow

ENROLLMENT = "course_enrollment"
CONTACT = "contact_for_case"


def record_consent(
    session: Session, *, conversation_id: str, purpose: str, text_shown: str, given: bool, subject: str | None = None
) -> ConsentRecord:
    row = ConsentRecord(
        conversation_id=conversation_id,
        purpose=purpose,
        text_shown=text_shown,
        answer="given" if given else "declined",
        subject=subject,
        at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def consents_of(session: Session, conversation_id: str) -> list[ConsentRecord]:
    query = select(ConsentRecord).where(ConsentRecord.conversation_id == conversation_id)
    return list(session.scalars(query.order_by(ConsentRecord.at, ConsentRecord.id)))


def delete_for_subjects(session: Session, subjects: list[str]) -> int:
    if not subjects:
        return 0
    result = session.execute(delete(ConsentRecord).where(ConsentRecord.subject.in_(subjects)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def delete_conversation_consents(session: Session, conversation_id: str, keep_purposes: tuple[str, ...] = ()) -> int:
    query = delete(ConsentRecord).where(ConsentRecord.conversation_id == conversation_id)
    if keep_purposes:
        query = query.where(ConsentRecord.purpose.not_in(keep_purposes))
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def purge_consents(session: Session, purged_conversations: list[str]) -> int:
    """Consents whose enrollment is gone, and those of purged conversations
    (an enrollment's consent stays as long as the enrollment)."""
    enrolled = select(CourseEnrollment.reference_code)
    orphans = delete(ConsentRecord).where(
        ConsentRecord.purpose == ENROLLMENT, ConsentRecord.subject.is_not(None), ConsentRecord.subject.not_in(enrolled)
    )
    deleted = int(session.execute(orphans).rowcount or 0)  # type: ignore[attr-defined]
    for conversation in purged_conversations:
        query = delete(ConsentRecord).where(
            ConsentRecord.conversation_id == conversation,
            # (a no has no subject: NULL must not keep it)
            ~(
                (ConsentRecord.purpose == ENROLLMENT)
                & ConsentRecord.subject.is_not(None)
                & ConsentRecord.subject.in_(enrolled)
            ),
        )
        deleted += int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]
    return deleted
