"""The dashboard's numbers from Rasa's stored events (bot/db/tracker_events.py):
conversations per Danish day and hour, fallbacks, two misunderstood messages
in a row, the intents and service topics asked about, and the most frequent
misunderstood messages. Reads only; the caller owns the connection.

A conversation is Rasa's sender id. It counts in a period when it has a user
message in the period, on the Danish day and hour of its first one there. A
message is misunderstood when the NLU read it as `nlu_fallback`; "two
misunderstood" is a conversation with two user messages in a row read so,
which is when the assistant offers a person (actions/fallback.py). A service
topic asked about is the `service_topic` slot the service answer sets
(actions/services.py)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, select

from bot.db.tracker_events import events_table
from bot.shared.clock import DANISH_TIME
from bot.shared.cpr import mask_cpr

FALLBACK = "nlu_fallback"
TOPIC_SLOT = "service_topic"
MAX_MESSAGE_CHARS = 300


@dataclass
class Occurrence:
    """Where a misunderstood message was written: the link to tag it."""

    conversation_id: str
    timestamp: float


@dataclass
class Misunderstood:
    """One misunderstood wording (CPR numbers masked, spaces and case evened out)."""

    text: str
    count: int = 0
    conversations: set[str] = field(default_factory=set)
    latest: Occurrence | None = None


@dataclass
class ConversationStats:
    conversations: int = 0
    user_messages: int = 0
    fallbacks: int = 0
    two_misunderstood: int = 0
    per_day: Counter[date] = field(default_factory=Counter)
    per_hour: Counter[int] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    conversation_ids: set[str] = field(default_factory=set)
    misunderstood: list[Misunderstood] = field(default_factory=list)

    @property
    def fallback_rate(self) -> float | None:
        return self.fallbacks / self.user_messages if self.user_messages else None

    @property
    def two_misunderstood_rate(self) -> float | None:
        return self.two_misunderstood / self.conversations if self.conversations else None


@dataclass
class _Conversation:
    first_at: float | None = None
    fallbacks_in_a_row: int = 0
    two_in_a_row: bool = False


def _data(raw: Any) -> dict[str, Any]:
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _wording(text: str) -> str:
    return " ".join(mask_cpr(text).split())[:MAX_MESSAGE_CHARS]


def conversation_stats(
    connection: Connection,
    start: datetime,
    end: datetime,
    *,
    misunderstood_of: set[str] | None = None,
    top_misunderstood: int = 20,
) -> ConversationStats:
    """The numbers of every conversation with a user message in [start, end).
    The misunderstood messages are those of the conversations in
    `misunderstood_of` (None: of all), most frequent first."""
    stats = ConversationStats()
    events = events_table(connection)
    if events is None:
        return stats
    query = (
        select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(
            events.c.timestamp >= start.timestamp(),
            events.c.timestamp < end.timestamp(),
            events.c.type_name.in_(("user", "slot")),
        )
        .order_by(events.c.sender_id, events.c.timestamp, events.c.id)
    )
    conversations: dict[str, _Conversation] = {}
    wordings: dict[str, Misunderstood] = {}
    for sender, kind, stamp, raw in connection.execute(query):
        data = _data(raw)
        if kind == "slot":
            if data.get("name") == TOPIC_SLOT and data.get("value"):
                stats.topics[str(data["value"])] += 1
            continue
        conversation = conversations.setdefault(sender, _Conversation())
        if conversation.first_at is None:
            conversation.first_at = float(stamp)
        intent = str(((data.get("parse_data") or {}).get("intent") or {}).get("name") or "")
        stats.user_messages += 1
        if intent:
            stats.intents[intent] += 1
        if intent != FALLBACK:
            conversation.fallbacks_in_a_row = 0
            continue
        stats.fallbacks += 1
        conversation.fallbacks_in_a_row += 1
        conversation.two_in_a_row = conversation.two_in_a_row or conversation.fallbacks_in_a_row >= 2
        text = _wording(str(data.get("text") or ""))
        if text and (misunderstood_of is None or sender in misunderstood_of):
            row = wordings.setdefault(text.casefold(), Misunderstood(text))
            row.count += 1
            row.conversations.add(sender)
            if row.latest is None or float(stamp) >= row.latest.timestamp:
                row.latest = Occurrence(sender, float(stamp))
    for sender, conversation in conversations.items():
        assert conversation.first_at is not None
        first = datetime.fromtimestamp(conversation.first_at, tz=timezone.utc).astimezone(DANISH_TIME)
        stats.per_day[first.date()] += 1
        stats.per_hour[first.hour] += 1
        stats.two_misunderstood += conversation.two_in_a_row
        stats.conversation_ids.add(sender)
    stats.conversations = len(conversations)
    ranked = sorted(wordings.values(), key=lambda row: (-row.count, -len(row.conversations), row.text.casefold()))
    stats.misunderstood = ranked[:top_misunderstood]
    return stats
