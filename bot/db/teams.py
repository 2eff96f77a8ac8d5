from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import CourseTeam


def list_teams(session: Session) -> Sequence[CourseTeam]:
    return session.scalars(select(CourseTeam).order_by(CourseTeam.start_date, CourseTeam.place)).all()


def list_open_teams(session: Session, *, earliest: date, latest: date) -> Sequence[CourseTeam]:
    """Teams with a free seat that start in [earliest, latest)."""
    query = (
        select(CourseTeam)
        .where(CourseTeam.start_date >= earliest)
        .where(CourseTeam.start_date < latest)
        .where(CourseTeam.seats_taken < CourseTeam.capacity)
        .order_by(CourseTeam.start_date, CourseTeam.place)
    )
    return session.scalars(query).all()


def get_team_by_code(session: Session, code: str) -> CourseTeam | None:
    return session.scalar(select(CourseTeam).where(CourseTeam.code == code))


def take_seat(session: Session, team_id: int) -> bool:
    """Take one seat if one is free. Atomic: the check and the increment are one
    UPDATE, so two families can never both get the last seat."""
    result = session.execute(
        update(CourseTeam)
        .where(CourseTeam.id == team_id)
        .where(CourseTeam.seats_taken < CourseTeam.capacity)
        .values(seats_taken=CourseTeam.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release_seat(session: Session, team_id: int) -> None:
    session.execute(
        update(CourseTeam)
        .where(CourseTeam.id == team_id)
        .where(CourseTeam.seats_taken > 0)
        .values(seats_taken=CourseTeam.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
