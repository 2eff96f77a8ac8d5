"""Fixtures: real databases (SQLite and PostgreSQL), sessions rolled back per
test, the real domain (domain/, merged), and trackers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from actions.common import use_sessionmaker
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.domain import load_domain

POSTGRES_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
BACKENDS = ["sqlite", "postgresql"]


def _create_postgres_database() -> str:
    """A fresh database for this test run. Fails (never skips) when PostgreSQL
    is not there: CI has it."""
    name = f"test_assistant_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name


def _drop_postgres_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = _create_postgres_database()
    yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    _drop_postgres_database(name)


@pytest.fixture(scope="session")
def e2e_postgres_url() -> Iterator[str]:
    """The running servers' own database: they commit, so they never share one
    with the tests that roll back (and the order of the tests cannot matter)."""
    name = _create_postgres_database()
    yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    _drop_postgres_database(name)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'municipal.db'}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url"}[request.param])
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_maker(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions inside one outer transaction that is rolled back after the
    test; `with maker.begin()` in the code under test commits a savepoint."""
    connection = engine.connect()
    outer = connection.begin()
    maker = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    use_sessionmaker(maker)
    yield maker
    use_sessionmaker(None)
    outer.rollback()
    connection.close()


@pytest.fixture
def session(session_maker: sessionmaker[Session]) -> Iterator[Session]:
    with session_maker() as session:
        yield session


@pytest.fixture
def database_down() -> Iterator[None]:
    """The actions' database is unreachable (nothing listens on port 1)."""
    unreachable = create_engine(
        "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere", connect_args={"connect_timeout": 2}
    )
    use_sessionmaker(sessionmaker(unreachable))
    yield
    use_sessionmaker(None)
    unreachable.dispose()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The files of domain/ merged into one dict, as Rasa merges them."""
    return load_domain()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
