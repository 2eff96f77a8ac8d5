from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.db.models import CourseTeam
from bot.db.seed import seed_teams
from bot.shared.clock import danish_today


@pytest.fixture
def teams(session: Session) -> list[CourseTeam]:
    """The demo teams, seeded from today, inside the rolled-back transaction."""
    seed_teams(session, danish_today())
    session.commit()
    return list(session.query(CourseTeam).order_by(CourseTeam.start_date))


@pytest.fixture
def due_in_three_months() -> date:
    return danish_today() + timedelta(weeks=13)
