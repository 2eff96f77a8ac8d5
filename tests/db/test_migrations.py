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
    statuses = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints("course_enrollments")}
    assert "'held'" in str(statuses["ck_course_enrollments_status_known"])  # 0009, under its conventional name
    roles = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints("staff_users")}
    assert "'teamlead'" in str(roles["ck_staff_users_role_known"])  # 0014
    assert "'editor'" in str(roles["ck_staff_users_role_known"])  # 0015


def test_0004_turns_free_text_staff_notes_into_task_notes(database_url: str) -> None:
    from sqlalchemy import text

    downgrade(database_url, "0003")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO escalations (conversation_id, channel, reason, priority, status, summary, staff_notes, "
                "created_at, updated_at) VALUES ('conv-old', 'rest', 'distress', 'critical', 'new', '', "
                "'Borgeren bad om sletning', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(database_url)
    with engine.begin() as connection:
        rows = connection.execute(
            text(
                "SELECT n.author, n.kind, n.text FROM escalation_notes n JOIN escalations e ON e.id = n.escalation_id "
                "WHERE e.conversation_id = 'conv-old'"
            )
        ).all()
        connection.execute(text("DELETE FROM escalations WHERE conversation_id = 'conv-old'"))
    assert [tuple(row) for row in rows] == [("assistenten", "task", "Borgeren bad om sletning")]
    assert {"staff_users", "audit_log", "escalation_notes", "review_tags"} <= set(inspect(engine).get_table_names())
    assert "staff_notes" not in {c["name"] for c in inspect(engine).get_columns("escalations")}
