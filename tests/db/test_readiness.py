"""The readiness check of the processes that need the municipal database
(the action server's /ready): true on real SQLite and PostgreSQL, false when
nothing listens where the database should be."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db.session import database_answers


def test_a_database_that_answers_is_ready(session_maker: sessionmaker[Session]) -> None:
    assert database_answers(session_maker)


def test_a_database_that_does_not_answer_is_not_ready() -> None:
    unreachable = create_engine(
        "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere", connect_args={"connect_timeout": 2}
    )
    assert not database_answers(sessionmaker(unreachable))
    unreachable.dispose()
