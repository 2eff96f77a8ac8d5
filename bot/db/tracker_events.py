"""Rasa's tracker store (its `events` table, which Rasa's SQLTrackerStore
creates and writes; bot/rasa_server/tracker_store.py), read by the staff app
and purged by retention. Not the municipal schema: the table is reflected
when it exists. Like the repositories, these take an engine or a connection
and never commit; the caller owns the transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, Engine, MetaData, Table, delete, func, inspect, select

from bot.shared.protocol import DANGER_INTENT, TRACKER_EVENTS_TABLE

TRACKER_EVENTS = TRACKER_EVENTS_TABLE
DELETE_BATCH = 500


@dataclass(frozen=True)
class ConversationRow:
    conversation_id: str
    last_at: datetime
    messages: int


def events_table(bind: Engine | Connection) -> Table | None:
    """Rasa's events table, or None before Rasa has written one."""
    if not inspect(bind).has_table(TRACKER_EVENTS):
        return None
    return Table(TRACKER_EVENTS, MetaData(), autoload_with=bind)


@dataclass(frozen=True)
class DangerTurn:
    conversation_id: str
    at: datetime
    channel: str


def danger_turns(engine: Engine, since: datetime, until: datetime) -> list[DangerTurn]:
    """The messages the danger layer read as danger (express_distress) in
    [since, until), oldest first: the last one of each conversation."""
    events = events_table(engine)
    if events is None:
        return []
    query = (
        select(events.c.sender_id, func.max(events.c.timestamp))
        .where(
            events.c.type_name == "user",
            events.c.intent_name == DANGER_INTENT,
            events.c.timestamp >= since.timestamp(),
            events.c.timestamp < until.timestamp(),
        )
        .group_by(events.c.sender_id)
    )
    with engine.connect() as connection:
        found = [(str(sender), float(at)) for sender, at in connection.execute(query)]
        channels = {sender: _channel(connection, events, sender, at) for sender, at in found}
    turns = [DangerTurn(sender, datetime.fromtimestamp(at, tz=timezone.utc), channels[sender]) for sender, at in found]
    return sorted(turns, key=lambda turn: turn.at)


def _channel(connection: Connection, events: Table, sender: str, at: float) -> str:
    query = select(events.c.data).where(
        events.c.sender_id == sender, events.c.type_name == "user", events.c.timestamp == at
    )
    try:
        data = json.loads(connection.execute(query.limit(1)).scalar() or "{}")
    except ValueError:
        return "unknown"
    return str(data.get("input_channel") or "unknown") if isinstance(data, dict) else "unknown"


def recent_conversations(engine: Engine, limit: int = 50, search: str = "") -> list[ConversationRow]:
    """The conversations, newest first, so staff can open and tag any conversation, not only escalated ones."""
    events = events_table(engine)
    if events is None:
        return []
    query = (
        select(
            events.c.sender_id,
            func.max(events.c.timestamp),
            func.sum((events.c.type_name == "user").cast(events.c.id.type)),
        )
        .group_by(events.c.sender_id)
        .order_by(func.max(events.c.timestamp).desc())
        .limit(limit)
    )
    if search:
        query = query.where(events.c.sender_id.contains(search, autoescape=True))
    with engine.connect() as connection:
        return [
            ConversationRow(sender, datetime.fromtimestamp(float(last), tz=timezone.utc), int(count or 0))
            for sender, last, count in connection.execute(query)
        ]


def stale_conversations(connection: Connection, older_than: datetime) -> list[str]:
    """The conversations whose latest event is older than `older_than`."""
    events = events_table(connection)
    if events is None:
        return []
    stale = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(func.max(events.c.timestamp) < older_than.timestamp())
    )
    return list(connection.scalars(stale))


def delete_conversations(connection: Connection, conversation_ids: list[str]) -> int:
    """Delete every event of these conversations; returns the events deleted."""
    events = events_table(connection)
    if events is None:
        return 0
    deleted = 0
    for start in range(0, len(conversation_ids), DELETE_BATCH):
        batch = conversation_ids[start : start + DELETE_BATCH]
        deleted += connection.execute(delete(events).where(events.c.sender_id.in_(batch))).rowcount
    return deleted


def conversation_mark(engine: Engine, conversation_id: str) -> tuple[int, float]:
    """How many events a conversation has and the latest one's time: changes
    whenever anything is said or done in it (the staff app's live view)."""
    events = events_table(engine)
    if events is None:
        return 0, 0.0
    query = select(func.count(), func.max(events.c.timestamp)).where(events.c.sender_id == conversation_id)
    with engine.connect() as connection:
        count, latest = connection.execute(query).one()
    return int(count or 0), float(latest or 0)
