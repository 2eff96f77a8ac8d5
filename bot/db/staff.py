"""Staff accounts for the staff app."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import StaffRole, StaffSession, StaffTeam, StaffUser, utcnow

SESSION_HOURS = 8


class StaffUserError(ValueError):
    """Bad input for a staff account (the message is Danish)."""


def get_by_username(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))


def create_user(
    session: Session, *, username: str, display_name: str, role: str, password_hash: str, team: str = StaffTeam.FAMILY
) -> StaffUser:
    username = username.strip().lower()
    if not username or len(username) > 100:
        raise StaffUserError("Brugernavnet skal være 1-100 tegn.")
    if role not in StaffRole.ALL:
        raise StaffUserError("Rollen skal være staff, teamlead, editor eller admin.")
    if team not in StaffTeam.ALL:
        raise StaffUserError("Teamet skal være course, family eller youth.")
    if get_by_username(session, username) is not None:
        raise StaffUserError(f"Brugeren {username} findes allerede.")
    user = StaffUser(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        team=team,
        password_hash=password_hash,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def record_login(session: Session, user: StaffUser) -> None:
    user.last_login_at = utcnow()
    session.flush()


# Sessions -------------------------------------------------------------------


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, user: StaffUser, now: datetime | None = None) -> str:
    """A new session for the user; returns the key for the cookie (only its hash is stored)."""
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            key_hash=_key_hash(key), user_id=user.id, created_at=now, expires_at=now + timedelta(hours=SESSION_HOURS)
        )
    )
    session.flush()
    return key


def user_of_session(session: Session, key: str, now: datetime | None = None) -> StaffUser | None:
    """The active user whose live session this key is, or None."""
    row = session.get(StaffSession, _key_hash(key)) if key else None
    if row is None or row.expires_at <= (now or utcnow()):
        return None
    user = session.get(StaffUser, row.user_id)
    return user if user is not None and user.active else None


def end_session(session: Session, key: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.key_hash == _key_hash(key)))


def end_sessions_of(session: Session, user: StaffUser) -> int:
    result = session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def deactivate(session: Session, user: StaffUser) -> None:
    """Close the account: no login, and every open session ends now."""
    user.active = False
    end_sessions_of(session, user)
    session.flush()


def purge_sessions(session: Session, now: datetime) -> int:
    result = session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
