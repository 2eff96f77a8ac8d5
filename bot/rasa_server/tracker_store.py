"""The Rasa server's tracker store (endpoints.yml: `tracker_store: type:
bot.rasa_server.tracker_store.ForgettingSQLTrackerStore`): Rasa's SQL tracker
store, which also forgets a conversation when the person asked for their data
to be deleted, and which fails loudly instead of losing turns.

Deletion: action_delete_my_data deletes what the municipal database holds
and sets the slot `conversation_deleted` (bot/shared/protocol.py); this store,
after saving that turn, deletes the conversation's events, so nothing of it
stays in the tracker store.

When the database does not answer: Rasa 3.6 wraps every tracker store in a
FailSafeTrackerStore that, on an error, reads the conversation as a new one
and saves the turn in the process's memory: the form a citizen was in is
forgotten and the turn is lost at the next restart, without a word. Here a
read or a write waits at most a few seconds (lock and statement timeouts),
is tried again three times over about two seconds (a restarting database),
and then raises TrackerStoreUnavailable; the launcher gives the fail-safe
store `refuse_to_fall_back` as its error callback, so the error reaches the
message's handler, which tells the citizen that the message did not get
through (bot/rasa_server/launcher.py). The next message, once the database is
back, goes on from the last stored turn.

Its reads and writes run in a worker thread (bot/rasa_server/offload.py):
Rasa's SQL tracker store calls SQLAlchemy synchronously, and on the event
loop each call held up every other conversation and webhook.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.rasa_server.offload import in_worker_thread
from bot.shared.protocol import DELETION_SLOT

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_DELAYS = (0.25, 0.5, 1.0)  # then TrackerStoreUnavailable
LOCK_WAIT_MS = 2000  # a read or write waiting for a lock this long counts as a failure
STATEMENT_MS = 10000
REPLIES_READ = 200  # events after a message sent again: one turn's, with room to spare


class TrackerStoreUnavailable(RasaException):
    """The tracker store did not answer, also after the retries."""


def refuse_to_fall_back(error: Exception) -> None:
    """The FailSafeTrackerStore's error callback: raise instead of reading the
    conversation as a new one or keeping the turn in memory."""
    if isinstance(error, TrackerStoreUnavailable):
        raise error
    raise TrackerStoreUnavailable(type(error).__name__) from error


def deletion_confirmed(tracker: DialogueStateTracker) -> bool:
    """Whether this turn (the events since the latest user message) deleted the data."""
    for tracker_event in reversed(tracker.events):
        if isinstance(tracker_event, SlotSet) and tracker_event.key == DELETION_SLOT and tracker_event.value is True:
            return True
        if isinstance(tracker_event, UserUttered):
            return False
    return False


def _pooled_if_sqlite_file(engine: Any) -> Any:
    """SQLAlchemy 1.4 opens a new connection to an SQLite file for every
    session (NullPool): each read and write of a turn opened the file, read
    its schema and closed it again. Here the connections are kept in a pool
    (as SQLAlchemy 2 does for files), each used by one thread at a time."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    engine.dispose()
    return create_engine(
        engine.url, poolclass=QueuePool, pool_size=5, max_overflow=5, connect_args={"check_same_thread": False}
    )


def _limit_waits(engine: Any) -> None:
    """Lock and statement timeouts on every new connection (SQLite: the busy
    timeout, and the write-ahead log the municipal database uses too,
    bot/db/session.py: a commit writes and syncs the log once, where the
    rollback journal was created, synced and deleted for every turn)."""

    @event.listens_for(engine, "connect")
    def limits(dbapi_connection: Any, _record: Any) -> None:
        if engine.dialect.name == "sqlite":
            dbapi_connection.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            return
        if engine.dialect.name == "postgresql":
            autocommit = dbapi_connection.autocommit
            dbapi_connection.autocommit = True  # a SET in a transaction would be undone by its rollback
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SET lock_timeout = {LOCK_WAIT_MS}")
            cursor.execute(f"SET statement_timeout = {STATEMENT_MS}")
            cursor.close()
            dbapi_connection.autocommit = autocommit

    engine.dispose()  # the connections made while Rasa created the tables have no limits


def event_row(sender_id: str, tracker_event: Event) -> dict[str, Any]:
    """An event as Rasa's SQLTrackerStore.save stores it."""
    data = tracker_event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": tracker_event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class ForgettingSQLTrackerStore(SQLTrackerStore):
    engine: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine = _pooled_if_sqlite_file(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        _limit_waits(self.engine)
        # Rasa's _event_query as Core statements made once: building the ORM
        # query (its subquery, its count wrapped around it) took about 1 ms a
        # read and 1 ms a save, more than running it (measured 1.16 -> 0.08 ms).
        table = self.SQLEvent.__table__
        sender: Any = sa.bindparam("sender_id")
        latest_start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(table.c.sender_id == sender, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        in_latest_session = sa.or_(table.c.timestamp >= latest_start, latest_start.is_(None))
        self._all_data = sa.select(table.c.data).where(table.c.sender_id == sender).order_by(table.c.id)
        self._latest_data = self._all_data.where(in_latest_session)
        self._latest_count = (
            sa.select(sa.func.count()).select_from(table).where(table.c.sender_id == sender, in_latest_session)
        )

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """Rasa's: the tracker's events after as many as are stored since the latest session start."""
        stored = session.execute(self._latest_count, {"sender_id": tracker.sender_id}).scalar()
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def _tried(self, what: str, step: Callable[[], Awaitable[T]]) -> T:
        for delay in (*RETRY_DELAYS, None):
            try:
                return await step()
            except SQLAlchemyError as error:
                if delay is None:
                    raise TrackerStoreUnavailable(f"{what}: {type(error).__name__}") from error
                logger.warning("tracker store: %s failed (%s); trying again", what, type(error).__name__)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        return await self._tried("read", lambda: in_worker_thread(self.read, sender_id, fetch_events_from_all_sessions))

    def read(self, sender_id: str, all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's SQLTrackerStore._retrieve, the same query, fetching only the
        events' data (not an ORM object for each event: half the read's time)."""
        with self.session_scope() as session:
            statement = self._all_data if all_sessions else self._latest_data
            rows = session.execute(statement, {"sender_id": sender_id}).all()
        events = [json.loads(data) for (data,) in rows]
        if self.domain and events:
            tracker: DialogueStateTracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
            return tracker
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        # One transaction each time (Rasa's session scope): a failed try wrote nothing.
        if self.event_broker is not None:  # streaming the events awaits: Rasa's save on the loop
            await self._tried("write", lambda: super(ForgettingSQLTrackerStore, self).save(tracker))
            await in_worker_thread(self.forget_if_deleted, tracker)
            return
        await self._tried("write", lambda: in_worker_thread(self.write, tracker))

    def write(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQLTrackerStore.save without an event broker: the same rows,
        inserted in one statement instead of an ORM object each."""
        with self.session_scope() as session:
            rows = [event_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        self.forget_if_deleted(tracker)

    async def replies_to(self, sender_id: str, message_id: str) -> list[dict[str, Any]] | None:
        """The bot messages that followed the user message with this id (a message
        sent again, bot/rasa_server/resend.py), or None when there is none."""
        return await self._tried("read", lambda: in_worker_thread(self.find_replies, sender_id, message_id))

    def find_replies(self, sender_id: str, message_id: str) -> list[dict[str, Any]] | None:
        """Searches the conversation's user events' JSON for the id (letters,
        digits and hyphens: nothing LIKE or JSON would escape), then reads only
        the events after the one found, instead of the whole conversation."""
        table = self.SQLEvent
        with self.session_scope() as session:
            candidates = (
                session.query(table.id, table.data)
                .filter(table.sender_id == sender_id, table.type_name == UserUttered.type_name)
                .filter(table.data.like(f'%"message_id": "{message_id}"%'))
                .order_by(table.id)
                .all()
            )
            # SQLite's LIKE ignores case: the id itself decides.
            found = next(
                (row_id for row_id, data in candidates if json.loads(data).get("message_id") == message_id), None
            )
            if found is None:
                return None
            rows = (
                session.query(table.type_name, table.data)
                .filter(table.sender_id == sender_id, table.id > found)
                .order_by(table.id)
                .limit(REPLIES_READ)
                .all()
            )
        replies = []
        for type_name, data in rows:
            if type_name == UserUttered.type_name:
                break
            if type_name == BotUttered.type_name:
                event = Event.from_parameters(json.loads(data))
                if isinstance(event, BotUttered):
                    replies.append(event.message())
        return replies

    def forget_if_deleted(self, tracker: DialogueStateTracker) -> None:
        if deletion_confirmed(tracker):
            with self.session_scope() as session:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
