from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.shared.settings import load_settings


def make_engine(url: str, *, immediate: bool = False) -> Engine:
    """`immediate` (SQLite only): every transaction takes the write lock when it
    begins and waits for it (up to the timeout). A deferred transaction that read
    and then writes fails at once when another process wrote in between; the
    processes that write often beside the others (the SMS app, the reminder job,
    the sms commands) wait instead."""
    if url.startswith("sqlite"):
        # check_same_thread off: the pool hands a connection to one thread at a time,
        # but web servers (and the staff app tests) run requests in worker threads.
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate if immediate else _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


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


def make_sessionmaker(url: str, *, immediate: bool = False) -> sessionmaker[Session]:
    return sessionmaker(make_engine(url, immediate=immediate), expire_on_commit=False)


@lru_cache(maxsize=1)
def default_sessionmaker() -> sessionmaker[Session]:
    """The application's one sessionmaker, for the configured DATABASE_URL."""
    return make_sessionmaker(load_settings().database_url)


def database_answers(sessions: sessionmaker[Session]) -> bool:
    """Whether the database takes a query now (readiness checks)."""
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
