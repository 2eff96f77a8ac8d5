from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.db.models import CourseTeam
from bot.db.seed import seed_teams
from bot.shared.clock import danish_today
from tests.actions.youth_helpers import NOW


@pytest.fixture
def teams(session: Session) -> list[CourseTeam]:
    """The demo teams, seeded from today, inside the rolled-back transaction."""
    seed_teams(session, danish_today())
    session.commit()
    return list(session.query(CourseTeam).order_by(CourseTeam.start_date))


@pytest.fixture
def due_in_three_months() -> date:
    return danish_today() + timedelta(weeks=13)


@pytest.fixture
def fixed_youth_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The young people's actions see `youth_helpers.NOW` as now (test_youth*.py use it for every test)."""
    import actions.meeting_changes
    import actions.meetings
    import actions.youth_forms
    import actions.youth_identity

    for module in (actions.youth_identity, actions.youth_forms, actions.meetings, actions.meeting_changes):
        monkeypatch.setattr(module, "now", lambda: NOW)
