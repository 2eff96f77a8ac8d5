"""Two families take the last seat at the same moment, on real PostgreSQL.

These tests commit for real (concurrent transactions cannot share one rolled
back transaction), in the run's own fresh database, and clean up after
themselves.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.enrollments import NewEnrollment, TeamFullError, create_enrollment
from bot.db.models import CourseEnrollment, CourseTeam


@pytest.fixture
def team_id(pg_engine: Engine) -> Iterator[int]:
    maker = sessionmaker(pg_engine)
    with maker.begin() as session:
        team = CourseTeam(
            code=f"RACE-{uuid.uuid4().hex[:6]}",
            place="Racehuset",
            address="Vej 1",
            start_date=date(2027, 2, 1),
            capacity=1,
            seats_taken=0,
        )
        session.add(team)
        session.flush()
        created = team.id
    yield created
    with maker.begin() as session:
        session.execute(delete(CourseEnrollment).where(CourseEnrollment.team_id == created))
        session.execute(delete(CourseTeam).where(CourseTeam.id == created))


def _enrol(session: Session, team_id: int, email: str) -> None:
    create_enrollment(
        session,
        NewEnrollment(
            team_id=team_id,
            parent_name="Forælder",
            partner_name=None,
            due_date=date(2027, 3, 1),
            birth_date=None,
            email=email,
            phone=None,
            conversation_id=email,
            consent_text="ja",
        ),
    )


def test_two_families_and_the_last_seat(pg_engine: Engine, team_id: int) -> None:
    """Family A has taken the seat but not committed when family B tries: B waits
    on A's row lock and, once A commits, is refused."""
    maker = sessionmaker(pg_engine)
    a_has_seat = threading.Event()
    b_result: dict[str, object] = {}

    def family_b() -> None:
        a_has_seat.wait()
        try:
            with maker.begin() as session:
                _enrol(session, team_id, "b@example.dk")
            b_result["outcome"] = "enrolled"
        except TeamFullError:
            b_result["outcome"] = "full"

    thread = threading.Thread(target=family_b)
    thread.start()
    with maker.begin() as session:
        _enrol(session, team_id, "a@example.dk")
        a_has_seat.set()
        thread.join(timeout=1)
        assert thread.is_alive(), "B must wait for A's transaction, not decide on stale data"
    thread.join(timeout=10)

    assert b_result == {"outcome": "full"}
    with maker() as session:
        assert session.scalar(select(func.count()).where(CourseEnrollment.team_id == team_id)) == 1
        assert session.get(CourseTeam, team_id).seats_taken == 1  # type: ignore[union-attr]


def test_many_families_race_for_few_seats(pg_engine: Engine, team_id: int) -> None:
    maker = sessionmaker(pg_engine)
    with maker.begin() as session:
        session.get(CourseTeam, team_id).capacity = 5  # type: ignore[union-attr]
    start = threading.Barrier(12)

    def family(n: int) -> bool:
        start.wait()
        try:
            with maker.begin() as session:
                _enrol(session, team_id, f"family{n}@example.dk")
            return True
        except TeamFullError:
            return False

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(family, range(12)))

    assert results.count(True) == 5
    with maker() as session:
        assert session.scalar(select(func.count()).where(CourseEnrollment.team_id == team_id)) == 5
        assert session.get(CourseTeam, team_id).seats_taken == 5  # type: ignore[union-attr]
