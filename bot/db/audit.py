"""The audit log: who read or changed what, when."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import AuditEntry, utcnow

LOGIN_FAILED = "login_failed"


def record(session: Session, actor: str, action: str, target: str = "", detail: str = "", client: str = "") -> None:
    session.add(
        AuditEntry(
            actor=actor[:100], action=action, target=target[:300], detail=detail, client=client[:64], at=utcnow()
        )
    )
    session.flush()


def failed_logins_since(session: Session, *, username: str, client: str, since: datetime) -> tuple[int, int]:
    """Failed logins since `since`: for this user name, and from this client."""

    def count(condition: ColumnElement[bool]) -> int:
        query = (
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == LOGIN_FAILED, AuditEntry.at >= since, condition)
        )
        return int(session.scalar(query) or 0)

    return count(AuditEntry.actor == username[:100]), count(AuditEntry.client == client[:64])


def recent(session: Session, limit: int = 200, search: str = "") -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if search:
        like = f"%{search}%"
        query = query.where(
            or_(AuditEntry.actor.ilike(like), AuditEntry.target.ilike(like), AuditEntry.action.ilike(like))
        )
    return list(session.scalars(query))


def window_start(minutes: int) -> datetime:
    return utcnow() - timedelta(minutes=minutes)
