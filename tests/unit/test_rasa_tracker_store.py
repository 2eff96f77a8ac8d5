"""The Rasa server's tracker store (bot/rasa_server/tracker_store.py) writes
and reads a conversation exactly as Rasa's SQLTrackerStore does, though it
inserts a turn's events in one statement, fetches only their data (both
with Core statements made once instead of Rasa's ORM query) and keeps
its SQLite connections in a pool: the same rows in the same order, the same
conversation read back (latest session and all sessions), on SQLite and
PostgreSQL; and it finds a message sent again by its id, with the bot
messages that followed it. Runs in the Rasa environment."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env
from tests.conftest import _create_postgres_database, _drop_postgres_database

pytestmark = pytest.mark.rasa

COMPARE = r"""
import asyncio, json, sys
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from bot.rasa_server.offload import finish
from bot.rasa_server.resend import replies_in
from bot.rasa_server.tracker_store import ForgettingSQLTrackerStore

rasa_args, ours_args = json.loads(sys.argv[1])
domain = Domain.load("domain")
parse = {"intent": {"name": "inform", "confidence": 0.93}, "entities": [], "text": "Mette Hansen æøå",
         "intent_ranking": [{"name": "inform", "confidence": 0.93}, {"name": "deny", "confidence": 0.07}]}
turns = [
    [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.0),
     SlotSet("municipality_name", "Holstebro", timestamp=1.0), ActionExecuted("action_listen", timestamp=1.0)],
    [UserUttered("hej", {"name": "greet", "confidence": 0.99}, timestamp=2.0, message_id="Web-3f2a9c1e-77"),
     ActionExecuted("utter_greet", timestamp=2.1),
     BotUttered("Hej!", {"buttons": [{"title": "Ja", "payload": "/affirm"}]}, timestamp=2.1),
     ActionExecuted("action_listen", timestamp=2.2)],
    [ActionExecuted("action_session_start", timestamp=9.0), SessionStarted(timestamp=9.0),
     ActionExecuted("action_listen", timestamp=9.0),
     UserUttered("Mette Hansen æøå", parse["intent"], [], parse, timestamp=9.5),
     SlotSet("parent_name", "Mette Hansen", timestamp=9.6), ActionExecuted("action_listen", timestamp=9.7)],
]

async def write(store):
    tracker = DialogueStateTracker("conversation-1", domain.slots)
    for turn in turns:
        for event in turn:
            tracker.update(event)
        await store.save(tracker)

def rows(store):
    with store.engine.connect() as connection:
        table = store.SQLEvent.__table__
        found = connection.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    return [{k: v for k, v in row.items() if k != "id"} for row in found]

async def main():
    rasa_store = SQLTrackerStore(domain, **rasa_args)
    ours = ForgettingSQLTrackerStore(domain, **ours_args)
    await write(rasa_store)
    await write(ours)
    read = {}
    for name, store, reader in (("rasa", rasa_store, lambda s, a: finish(SQLTrackerStore._retrieve(rasa_store, s, a))),
                                ("ours", ours, ours.read)):
        read[name] = {
            str(all_sessions): reader("conversation-1", all_sessions).current_state(EventVerbosity.ALL)
            for all_sessions in (False, True)
        }
        read[name]["nobody"] = reader("nobody", False)
    journal = None
    if ours.engine.dialect.name == "sqlite":
        with ours.engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    # A message sent again (bot/rasa_server/resend.py): found by its exact id, in its conversation only.
    replies = {
        name: ours.find_replies(sender, message_id)
        for name, sender, message_id in (("own", "conversation-1", "Web-3f2a9c1e-77"),
                                         ("other case", "conversation-1", "web-3f2a9c1e-77"),
                                         ("other conversation", "nobody", "Web-3f2a9c1e-77"),
                                         ("unknown", "conversation-1", "Web-00000000-00"))
    }
    replies["scanned"] = replies_in(list(ours.read("conversation-1", True).events), "Web-3f2a9c1e-77")
    print(json.dumps({"rows": [rows(rasa_store), rows(ours)], "read": read, "journal": journal, "replies": replies,
                      "pool": type(ours.engine.pool).__name__}, default=str))

asyncio.run(main())
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    if request.param == "sqlite":
        yield "sqlite", [{"dialect": "sqlite", "db": str(tmp_path / name)} for name in ("rasa.db", "ours.db")]
        return
    names = [_create_postgres_database(), _create_postgres_database()]
    try:
        yield (
            "postgresql",
            [
                {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "db": name, "username": "postgres"}
                for name in names
            ],
        )
    finally:
        for name in names:
            _drop_postgres_database(name)


def test_the_same_rows_and_the_same_conversation_as_rasas_store(stores: tuple[str, list[dict[str, Any]]]) -> None:
    dialect, store_args = stores
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", COMPARE, json.dumps(store_args)],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    rasa_rows, our_rows = found["rows"]
    assert len(rasa_rows) == 14
    assert our_rows == rasa_rows
    assert found["read"]["ours"] == found["read"]["rasa"]
    latest, every = found["read"]["ours"]["False"], found["read"]["ours"]["True"]
    assert len(latest["events"]) == 6 < len(every["events"]) == 14
    assert found["read"]["ours"]["nobody"] is None
    # The one-statement write keeps the client's message id (compared above, and here by name).
    assert any(json.loads(row["data"]).get("message_id") == "Web-3f2a9c1e-77" for row in our_rows)
    hello = [{"text": "Hej!", "buttons": [{"title": "Ja", "payload": "/affirm"}], "timestamp": 2.1}]
    assert [{k: v for k, v in reply.items() if v} for reply in found["replies"]["own"]] == hello
    assert found["replies"]["scanned"] == found["replies"]["own"]
    assert found["replies"]["other case"] is None and found["replies"]["other conversation"] is None
    assert found["replies"]["unknown"] is None
    if dialect == "sqlite":
        assert (found["journal"], found["pool"]) == ("wal", "QueuePool")
    else:
        assert found["pool"] == "QueuePool"  # Rasa's own pool for PostgreSQL, untouched
