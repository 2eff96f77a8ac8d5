from datetime import date

from sqlalchemy.orm import Session

from bot.db.seed import seed_teams
from bot.db.teams import list_open_teams, list_teams


def test_seeding_is_idempotent(session: Session) -> None:
    first = seed_teams(session, date(2026, 11, 24))
    again = seed_teams(session, date(2026, 11, 24))
    assert first > 10 and again == 0
    teams = list_teams(session)
    assert len({t.code for t in teams}) == len(teams)


def test_seeding_later_adds_only_new_teams(session: Session) -> None:
    seed_teams(session, date(2026, 11, 24))
    added = seed_teams(session, date(2027, 3, 1))
    assert 0 < added < 15


def test_open_teams_within_window(session: Session) -> None:
    seed_teams(session, date(2026, 11, 24))
    teams = list_open_teams(session, earliest=date(2027, 1, 1), latest=date(2027, 3, 1))
    assert teams and all(date(2027, 1, 1) <= t.start_date < date(2027, 3, 1) for t in teams)
    assert [t.start_date for t in teams] == sorted(t.start_date for t in teams)
