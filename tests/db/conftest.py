"""Fixtures of the database tests that commit for real on PostgreSQL (races
between transactions cannot share one rolled-back transaction)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.db.migrate import upgrade
from bot.db.session import make_engine


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Engine]:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()
