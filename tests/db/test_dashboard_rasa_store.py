"""The dashboard reads what Rasa really stores: the seeded conversations of
tests/dashboard_seed.py are written by Rasa's own SQLTrackerStore (in
.venv/rasa, as the Rasa server writes them), on SQLite and PostgreSQL, and
give the same numbers as the tests' stand-in table."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from bot.db.dashboard_events import conversation_stats
from bot.staff.dashboard import Period
from bot.training import RASA_PYTHON, quiet_rasa_env
from tests import dashboard_seed as seed
from tests.conftest import _create_postgres_database, _drop_postgres_database

pytestmark = pytest.mark.rasa

WRITE_WITH_RASA = """
import asyncio, json, sys
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

store_args, rows = json.loads(sys.stdin.read())

def event(row):
    data = row["data"]
    if row["type_name"] == "user":
        return UserUttered(data["text"], intent=data["parse_data"]["intent"], timestamp=data["timestamp"])
    if row["type_name"] == "slot":
        return SlotSet(data["name"], data["value"], timestamp=data["timestamp"])
    return BotUttered(data["text"], timestamp=data["timestamp"])

async def main():
    store = SQLTrackerStore(Domain.empty(), **store_args)
    for sender in sorted({row["sender_id"] for row in rows}):
        events = [event(row) for row in rows if row["sender_id"] == sender]
        await store.save(DialogueStateTracker.from_events(sender, events))

asyncio.run(main())
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def rasa_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, object], Engine]]:
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        yield {"dialect": "sqlite", "db": str(path)}, create_engine(f"sqlite:///{path}")
        return
    name = _create_postgres_database()
    engine = create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}")
    yield {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "db": name, "username": "postgres"}, engine
    engine.dispose()
    _drop_postgres_database(name)


def test_the_numbers_of_events_rasa_wrote(rasa_store: tuple[dict[str, object], Engine]) -> None:
    store_args, engine = rasa_store
    written = subprocess.run(
        [str(RASA_PYTHON), "-c", WRITE_WITH_RASA],
        input=json.dumps([store_args, seed.EVENTS]),
        capture_output=True,
        text=True,
        env=quiet_rasa_env(),
        timeout=300,
    )
    assert written.returncode == 0, written.stderr[-2000:]
    period = Period(seed.FIRST, seed.LAST)
    with engine.connect() as connection:
        stats = conversation_stats(connection, period.start, period.end)
    engine.dispose()
    assert (stats.conversations, stats.user_messages, stats.fallbacks, stats.two_misunderstood) == (4, 11, 4, 1)
    assert stats.topics == Counter({"tandpleje": 2, "sundhedspleje": 1})
    assert stats.intents["faq"] == 3 and stats.per_hour == Counter({9: 1, 23: 1, 0: 1, 14: 1})
    assert [(row.text, row.count) for row in stats.misunderstood] == [
        ("kan i ringe", 2),
        ("=SUM(A1)", 1),
        ("hvad med [CPR-nummer fjernet] ting", 1),
    ]
