"""The conversations in Rasa's tracker store (its `events` table), newest
first, so staff can open and tag any conversation, not only escalated ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, MetaData, Table, func, inspect, select

from bot.shared.protocol import TRACKER_EVENTS_TABLE

TRACKER_EVENTS = TRACKER_EVENTS_TABLE


@dataclass(frozen=True)
class ConversationRow:
    conversation_id: str
    last_at: datetime
    messages: int


def recent_conversations(engine: Engine, limit: int = 50, search: str = "") -> list[ConversationRow]:
    if not inspect(engine).has_table(TRACKER_EVENTS):
        return []
    events = Table(TRACKER_EVENTS, MetaData(), autoload_with=engine)
    query = (select(events.c.sender_id, func.max(events.c.timestamp),
                    func.sum((events.c.type_name == "user").cast(events.c.id.type)))
             .group_by(events.c.sender_id).order_by(func.max(events.c.timestamp).desc()).limit(limit))
    if search:
        query = query.where(events.c.sender_id.contains(search, autoescape=True))
    with engine.connect() as connection:
        return [ConversationRow(sender, datetime.fromtimestamp(float(last), tz=timezone.utc), int(count or 0))
                for sender, last, count in connection.execute(query)]
