"""Escalations: conversations that need a person."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Escalation, EscalationStatus, utcnow

PRIORITY_ORDER = {"normal": 0, "high": 1, "critical": 2}


def open_escalation(session: Session, *, conversation_id: str, channel: str, reason: str, priority: str,
                    summary: str) -> Escalation:
    """One open escalation per conversation: a new reason raises its priority
    and adds to its summary instead of queueing the conversation twice."""
    existing = session.scalar(
        select(Escalation).where(Escalation.conversation_id == conversation_id,
                                 Escalation.status != EscalationStatus.CLOSED)
    )
    if existing is None:
        existing = Escalation(conversation_id=conversation_id, channel=channel, reason=reason, priority=priority,
                              status=EscalationStatus.NEW, summary=summary, staff_notes="")
        session.add(existing)
    else:
        if PRIORITY_ORDER[priority] > PRIORITY_ORDER[existing.priority]:
            existing.priority, existing.reason = priority, reason
        existing.summary = f"{existing.summary}\n---\n{summary}".strip()
        existing.updated_at = utcnow()
    session.flush()
    return existing


def list_by_conversation(session: Session, conversation_id: str) -> list[Escalation]:
    return list(session.scalars(select(Escalation).where(Escalation.conversation_id == conversation_id)))
