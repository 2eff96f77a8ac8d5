"""Staff accounts for the staff app."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import StaffRole, StaffUser, utcnow


class StaffUserError(ValueError):
    """Bad input for a staff account (the message is Danish)."""


def get_by_username(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))


def create_user(session: Session, *, username: str, display_name: str, role: str, password_hash: str) -> StaffUser:
    username = username.strip().lower()
    if not username or len(username) > 100:
        raise StaffUserError("Brugernavnet skal være 1-100 tegn.")
    if role not in (StaffRole.STAFF, StaffRole.ADMIN):
        raise StaffUserError("Rollen skal være staff eller admin.")
    if get_by_username(session, username) is not None:
        raise StaffUserError(f"Brugeren {username} findes allerede.")
    user = StaffUser(username=username, display_name=display_name.strip() or username, role=role,
                     password_hash=password_hash, active=True)
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def record_login(session: Session, user: StaffUser) -> None:
    user.last_login_at = utcnow()
    session.flush()
