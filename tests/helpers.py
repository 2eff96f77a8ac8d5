"""Building trackers for action tests; the municipality file for tests that
run the servers faster than people write."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    sender_id: str | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker(
        sender_id=sender_id or f"test-{uuid.uuid4().hex[:8]}",
        slots=dict(slots or {}),
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


# The municipality file as shipped, except three limits: the end-to-end tests
# and the benchmark write faster than people do (a turn a second and more in
# one conversation), and start every session from this one machine. The
# flood tests send their own address (X-Forwarded-For, one trusted proxy) or
# number and count against these numbers.
NEW_SESSIONS_PER_MINUTE = 60
MESSAGES_PER_MINUTE = 60
TEXTS_PER_MINUTE = 20


def municipality_for_tests(folder: Path) -> Path:
    from bot.shared.settings import DEFAULT_MUNICIPALITY_FILE

    municipality = yaml.safe_load(DEFAULT_MUNICIPALITY_FILE.read_text(encoding="utf-8"))
    municipality["security"] |= {
        "new_sessions_per_minute": NEW_SESSIONS_PER_MINUTE,
        "messages_per_minute": MESSAGES_PER_MINUTE,
    }
    municipality["sms"] |= {"messages_per_minute": TEXTS_PER_MINUTE}
    path = folder / "municipality.yml"
    path.write_text(yaml.safe_dump(municipality, allow_unicode=True), encoding="utf-8")
    return path


@contextmanager
def database_locked(url: str, table: str) -> Iterator[None]:
    """Another transaction holds the lock a server needs (the fault tests and
    make chaos): on SQLite the lock of the whole file, on PostgreSQL the table
    (the other tables of that database go on)."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    if url.startswith("sqlite"):
        raw.isolation_level = None  # type: ignore[attr-defined]  # pysqlite: BEGIN is ours
        cursor.execute("BEGIN EXCLUSIVE")
    else:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        raw.rollback()
        raw.close()
        engine.dispose()


def rasa_events_table() -> Table:
    """Rasa's tracker store table with the columns its SQLTrackerStore makes (the ones the application reads)."""
    from bot.shared.protocol import TRACKER_EVENTS_TABLE

    return Table(
        TRACKER_EVENTS_TABLE,
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255)),
        Column("type_name", String(255)),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )


def rasa_output(script: str, *args: str) -> tuple[str, str]:
    """The script's stdout and stderr, run in the Rasa environment (it must succeed)."""
    from bot.shared.settings import ROOT
    from bot.training import RASA_PYTHON, quiet_rasa_env

    done = subprocess.run(
        [str(RASA_PYTHON), "-c", script, *args],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def in_rasa(script: str, *args: str) -> tuple[dict[str, Any], str]:
    """The script's last line of output (JSON) and its stderr, run in the Rasa environment."""
    stdout, stderr = rasa_output(script, *args)
    found: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return found, stderr
