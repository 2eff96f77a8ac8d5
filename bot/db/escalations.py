"""Escalations: conversations that need a person, and their notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.db.models import Escalation, EscalationNote, EscalationStatus, NoteKind, utcnow

PRIORITY_ORDER = {"normal": 0, "high": 1, "critical": 2}
OPEN_STATUSES = (EscalationStatus.NEW, EscalationStatus.CLAIMED, EscalationStatus.ANSWERED)


class EscalationStateError(ValueError):
    """A change that does not fit where the escalation stands (the message is Danish, for staff)."""


def open_escalation(
    session: Session,
    *,
    conversation_id: str,
    channel: str,
    reason: str,
    priority: str,
    summary: str,
    team: str = "family",
) -> Escalation:
    """One open escalation per conversation: a new reason raises its priority
    and adds to its summary instead of queueing the conversation twice."""
    existing = open_for_conversation(session, conversation_id)
    if existing is None:
        try:
            # A savepoint: the unique index on open cases refuses a second one
            # that another process wrote a moment ago, and only this insert is undone.
            with session.begin_nested():
                created = Escalation(
                    conversation_id=conversation_id,
                    channel=channel,
                    reason=reason,
                    priority=priority,
                    status=EscalationStatus.NEW,
                    summary=summary,
                    team=team,
                )
                session.add(created)
            return created
        except IntegrityError:
            existing = open_for_conversation(session, conversation_id)
            if existing is None:
                raise
    if PRIORITY_ORDER[priority] > PRIORITY_ORDER[existing.priority]:
        existing.priority, existing.reason = priority, reason
    existing.summary = f"{existing.summary}\n---\n{summary}".strip()
    existing.updated_at = utcnow()
    session.flush()
    return existing


def critical_since(session: Session, conversation_id: str, since: datetime) -> bool:
    """Whether the conversation has a critical case opened, raised or worked on since `since`."""
    query = select(Escalation.id).where(
        Escalation.conversation_id == conversation_id,
        Escalation.priority == "critical",
        Escalation.updated_at >= since,
    )
    return session.scalars(query.limit(1)).first() is not None


def open_for_conversation(session: Session, conversation_id: str) -> Escalation | None:
    return session.scalar(
        select(Escalation).where(
            Escalation.conversation_id == conversation_id, Escalation.status != EscalationStatus.CLOSED
        )
    )


def set_contact_wish(session: Session, conversation_id: str, wish: str) -> Escalation | None:
    escalation = open_for_conversation(session, conversation_id)
    if escalation is not None:
        escalation.contact_wish, escalation.updated_at = wish, utcnow()
        session.flush()
    return escalation


def list_by_conversation(session: Session, conversation_id: str) -> list[Escalation]:
    return list(session.scalars(select(Escalation).where(Escalation.conversation_id == conversation_id)))


def conversations_with_cases(session: Session) -> set[str]:
    """Every conversation that became a case (open or closed): a case record, kept."""
    return set(session.scalars(select(Escalation.conversation_id).distinct()))


def get_escalation(session: Session, escalation_id: int) -> Escalation | None:
    return session.get(Escalation, escalation_id, options=[selectinload(Escalation.notes)])


def queue(
    session: Session,
    *,
    statuses: tuple[str, ...] = OPEN_STATUSES,
    reason: str | None = None,
    channel: str | None = None,
    team: str | None = None,
) -> list[Escalation]:
    """Escalations for the staff queue (of one team, or all): most urgent first, then the longest waiting."""
    urgency = case({name: -rank for name, rank in PRIORITY_ORDER.items()}, value=Escalation.priority)
    query = select(Escalation).where(Escalation.status.in_(statuses))
    if team:
        query = query.where(Escalation.team == team)
    if reason:
        query = query.where(Escalation.reason == reason)
    if channel:
        query = query.where(Escalation.channel == channel)
    return list(session.scalars(query.order_by(urgency, Escalation.created_at, Escalation.id)))


def critical_new(session: Session, team: str | None) -> list[Escalation]:
    """Critical cases nobody has taken yet (of one team, or all): what the staff app alerts about."""
    query = select(Escalation).where(Escalation.priority == "critical", Escalation.status == EscalationStatus.NEW)
    if team is not None:
        query = query.where(Escalation.team == team)
    return list(session.scalars(query.order_by(Escalation.id)))


def channels_and_reasons(session: Session) -> tuple[list[str], list[str]]:
    """The values the queue's filters offer."""
    channels = session.scalars(select(Escalation.channel).distinct().order_by(Escalation.channel))
    reasons = session.scalars(select(Escalation.reason).distinct().order_by(Escalation.reason))
    return list(channels), list(reasons)


class CaseTaken(EscalationStateError):
    """Someone else took the case first."""

    def __init__(self, claimed_by: str) -> None:
        super().__init__(
            f"Sagen er lige blevet taget af {claimed_by}, så du har ikke taget den. "
            f"Du kan læse med, men kun {claimed_by} kan svare og lukke den."
        )
        self.claimed_by = claimed_by


def claim(
    session: Session, escalation_id: int, staff: str, *, team: str | None = None, now: datetime | None = None
) -> tuple[Escalation, bool] | None:
    """Take a case (of `team`, or of any team for None): the case and whether
    this call took it (False: it was already this staff member's); None when
    there is no such case for this team; raises why it cannot be taken.

    One conditional UPDATE, not a read and then a write: of two staff taking
    the case at the same moment exactly one gets it (PostgreSQL re-checks the
    condition once the first one's row lock is released; SQLite lets one
    writer in at a time, and the statement is the transaction's first, so it
    waits instead of writing over a stale read)."""
    now = now or utcnow()
    conditions = [
        Escalation.id == escalation_id,
        Escalation.status != EscalationStatus.CLOSED,
        Escalation.claimed_by.is_(None),
    ]
    if team is not None:
        conditions.append(Escalation.team == team)
    taken = session.execute(
        update(Escalation)
        .where(*conditions)
        .values(status=EscalationStatus.CLAIMED, claimed_by=staff, claimed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    escalation = session.get(Escalation, escalation_id, populate_existing=True)
    if escalation is None or team not in (None, escalation.team):
        return None
    if getattr(taken, "rowcount", 0) == 1:
        return escalation, True
    if not escalation.is_open:
        raise EscalationStateError("Sagen er lukket.")
    if escalation.claimed_by == staff:
        return escalation, False
    raise CaseTaken(escalation.claimed_by or "?")


def mark_answered(session: Session, escalation: Escalation, staff: str, now: datetime | None = None) -> None:
    if escalation.claimed_by != staff or not escalation.is_open:
        raise EscalationStateError("Tag sagen, før du svarer.")
    now = now or utcnow()
    escalation.status, escalation.updated_at = EscalationStatus.ANSWERED, now
    escalation.answered_at = escalation.answered_at or now
    session.flush()


def close(session: Session, escalation: Escalation, staff: str, outcome: str, now: datetime | None = None) -> None:
    if not escalation.is_open:
        raise EscalationStateError("Sagen er allerede lukket.")
    if escalation.claimed_by not in (None, staff):
        raise EscalationStateError(f"Sagen er taget af {escalation.claimed_by}; kun de kan lukke den.")
    if not outcome.strip():
        raise EscalationStateError("Skriv kort, hvordan sagen endte.")
    now = now or utcnow()
    escalation.status, escalation.outcome = EscalationStatus.CLOSED, outcome.strip()[:300]
    escalation.claimed_by = escalation.claimed_by or staff
    escalation.closed_at = escalation.updated_at = now
    session.flush()


def add_note(
    session: Session, escalation: Escalation, author: str, text: str, kind: str = NoteKind.NOTE
) -> EscalationNote:
    if not text.strip():
        raise EscalationStateError("Noten er tom.")
    note = EscalationNote(escalation=escalation, author=author, kind=kind, text=text.strip())
    session.add(note)
    escalation.updated_at = utcnow()
    session.flush()
    return note


def conversations_of_team(session: Session, team: str) -> set[str]:
    """The conversations that have (or had) a case in this team's queue."""
    return set(session.scalars(select(Escalation.conversation_id).where(Escalation.team == team)))
