"""Review tags on user messages, and their export as NLU training data."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import ReviewTag

TAGS = {"misforstaaet": "Misforstået", "godt_svar": "Godt svar", "mangler_svar": "Mangler et svar"}


class ReviewTagError(ValueError):
    """Bad input for a tag (the message is Danish)."""


def add_tag(
    session: Session,
    *,
    conversation_id: str,
    message_at: float,
    message_text: str,
    predicted_intent: str,
    confidence: float | None,
    tag: str,
    correct_intent: str | None,
    tagged_by: str,
) -> ReviewTag:
    if tag not in TAGS:
        raise ReviewTagError("Ukendt mærke.")
    row = ReviewTag(
        conversation_id=conversation_id,
        message_at=message_at,
        message_text=message_text,
        predicted_intent=predicted_intent,
        confidence=confidence,
        tag=tag,
        correct_intent=correct_intent or None,
        tagged_by=tagged_by,
    )
    session.add(row)
    session.flush()
    return row


def tags_of(session: Session, conversation_id: str) -> list[ReviewTag]:
    return list(
        session.scalars(
            select(ReviewTag).where(ReviewTag.conversation_id == conversation_id).order_by(ReviewTag.message_at)
        )
    )


def all_tags(session: Session) -> list[ReviewTag]:
    return list(session.scalars(select(ReviewTag).order_by(ReviewTag.created_at, ReviewTag.id)))


def delete_by_conversation(session: Session, conversation_id: str) -> int:
    result = session.execute(delete(ReviewTag).where(ReviewTag.conversation_id == conversation_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def export_nlu(tags: list[ReviewTag]) -> str:
    """Tagged messages as Rasa NLU training data, grouped by the intent staff
    say is right (else the one predicted), for a person to review before any
    of it goes into data/nlu/."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for row in tags:
        intent = row.correct_intent or row.predicted_intent or "nlu_fallback"
        if row.message_text not in by_intent[intent]:
            by_intent[intent].append(row.message_text)
    lines = [
        "# Beskeder mærket i personaleappen. Gennemgå dem, før de kommer i data/nlu/:",
        "# de er rigtige borgeres ord (CPR-numre er allerede fjernet).",
        'version: "3.1"',
        "nlu:",
    ]
    for intent, texts in sorted(by_intent.items()):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {' '.join(text.split())}" for text in texts]
    return "\n".join(lines) + "\n"


def tagged_messages(session: Session, conversation_ids: set[str]) -> set[tuple[str, float]]:
    """(conversation, message time rounded to the microsecond) of every tagged message in these conversations."""
    if not conversation_ids:
        return set()
    rows = session.execute(
        select(ReviewTag.conversation_id, ReviewTag.message_at).where(
            ReviewTag.conversation_id.in_(sorted(conversation_ids))
        )
    )
    return {(conversation, round(at, 6)) for conversation, at in rows}
