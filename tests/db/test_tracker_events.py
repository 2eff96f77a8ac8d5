"""Rasa's events table as the purge and the staff app read it
(bot/db/tracker_events.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine

from bot.db.tracker_events import delete_conversations, recent_conversations, stale_conversations
from bot.retention import purge_conversations
from tests.helpers import rasa_events_table as shared_events_table

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def events_table(bind: Engine | Connection, conversations: dict[str, tuple[int, datetime]]) -> None:
    """The columns of Rasa's tracker store table that are read, with `count` user messages up to `last`."""
    events = shared_events_table()
    events.create(bind)
    rows = [
        {"sender_id": sender, "type_name": "user", "timestamp": last.timestamp() - n, "data": "{}"}
        for sender, (count, last) in conversations.items()
        for n in range(count)
    ]
    if isinstance(bind, Connection):
        bind.execute(events.insert(), rows)
    else:
        with bind.begin() as connection:
            connection.execute(events.insert(), rows)


def test_stale_conversations_are_found_and_deleted_with_every_event(engine: Engine) -> None:
    with engine.connect() as connection, connection.begin() as transaction:  # rolled back: the table is the test's
        events_table(connection, {"old": (3, NOW - timedelta(days=40)), "recent": (2, NOW - timedelta(days=1))})
        stale = stale_conversations(connection, NOW - timedelta(days=30))
        assert stale == ["old"]
        assert delete_conversations(connection, stale) == 3
        assert stale_conversations(connection, NOW + timedelta(days=1)) == ["recent"]
        transaction.rollback()


def test_no_events_table_yet_is_no_conversations(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.begin() as connection:
        assert stale_conversations(connection, NOW) == [] and delete_conversations(connection, ["x"]) == 0
    assert recent_conversations(engine) == []
    engine.dispose()


def test_the_purge_keeps_case_records_and_recent_conversations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    events_table(
        engine,
        {
            "old": (2, NOW - timedelta(days=40)),
            "old-case": (4, NOW - timedelta(days=40)),
            "recent": (1, NOW - timedelta(days=1)),
        },
    )
    assert purge_conversations(url, NOW - timedelta(days=30), keep={"old-case"}) == (["old"], 2)
    assert [row.conversation_id for row in recent_conversations(engine)] == ["recent", "old-case"]
    assert [row.messages for row in recent_conversations(engine, search="case")] == [4]
    engine.dispose()
