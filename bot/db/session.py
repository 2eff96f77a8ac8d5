from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.shared.settings import load_settings


def make_engine(url: str, *, immediate: bool = False, wait_seconds: float | None = None) -> Engine:
    """`immediate` (SQLite only): every transaction takes the write lock when it
    begins and waits for it (up to the timeout). A deferred transaction that read
    and then writes fails at once when another process wrote in between; the
    processes that write often beside the others (the SMS app, the reminder job,
    the sms commands) wait instead.

    `wait_seconds`: the longest a statement may wait for a lock or run (SQLite's
    busy timeout; PostgreSQL's lock_timeout and statement_timeout). Unset,
    SQLite waits 15 s and PostgreSQL as long as it takes."""
    if url.startswith("sqlite"):
        # check_same_thread off: the pool hands a connection to one thread at a time,
        # but web servers (and the staff app tests) run requests in worker threads.
        busy = 15.0 if wait_seconds is None else wait_seconds
        engine = create_engine(url, connect_args={"timeout": busy, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate if immediate else _sqlite_begin)
        return engine
    connect_args: dict[str, Any] = {}
    if wait_seconds is not None:
        ms = int(wait_seconds * 1000)
        connect_args = {
            "connect_timeout": max(1, int(wait_seconds)),
            "options": f"-c lock_timeout={ms} -c statement_timeout={ms}",
        }
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINTs; SQLAlchemy emits
    # BEGIN itself instead (see SQLAlchemy's "Serializable isolation /
    # Savepoints / Transactional DDL" notes for pysqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(url: str, *, immediate: bool = False, wait_seconds: float | None = None) -> sessionmaker[Session]:
    return sessionmaker(make_engine(url, immediate=immediate, wait_seconds=wait_seconds), expire_on_commit=False)


@lru_cache(maxsize=1)
def default_sessionmaker() -> sessionmaker[Session]:
    """The action server's one sessionmaker, for the configured DATABASE_URL. A
    statement waits at most DATABASE_WAIT_SECONDS, less than the Rasa server waits
    for the action (ACTION_TIMEOUT_SECONDS): a stuck database fails the action,
    rolled back and told to the citizen (actions/transaction.py), before the Rasa
    server gives up on it and the two could disagree on what was saved.

    Immediate on SQLite: an action that reads and then writes (an enrolment
    checks the team's places, then saves) would otherwise fail at once, and
    tell the citizen the database failed, whenever the staff app, the SMS app
    or the reminder job wrote in between. The action server runs one action
    at a time, so taking the lock first costs it nothing."""
    settings = load_settings()
    return make_sessionmaker(settings.database_url, immediate=True, wait_seconds=settings.database_wait_seconds)


def database_answers(sessions: sessionmaker[Session]) -> bool:
    """Whether the database takes a query now (readiness checks)."""
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
