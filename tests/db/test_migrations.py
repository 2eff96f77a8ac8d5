from sqlalchemy import inspect

from bot.db.migrate import downgrade, upgrade
from bot.db.session import make_engine


def test_migrations_go_up_down_and_up_again(database_url: str) -> None:
    downgrade(database_url, "base")
    assert "course_teams" not in inspect(make_engine(database_url)).get_table_names()
    upgrade(database_url)
    inspector = inspect(make_engine(database_url))
    assert {"course_teams", "course_enrollments", "services"} <= set(inspector.get_table_names())
    checks = {c["name"] for c in inspector.get_check_constraints("course_teams")}
    assert "ck_course_teams_seats_within_capacity" in checks
