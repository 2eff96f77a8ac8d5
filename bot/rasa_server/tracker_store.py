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
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from bot.rasa_server.offload import finish, in_worker_thread
from bot.shared.protocol import DELETION_SLOT

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_DELAYS = (0.25, 0.5, 1.0)  # then TrackerStoreUnavailable
LOCK_WAIT_MS = 2000  # a read or write waiting for a lock this long counts as a failure
STATEMENT_MS = 10000


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


def _limit_waits(engine: Any) -> None:
    """Lock and statement timeouts on every new connection (SQLite: the busy timeout)."""

    @event.listens_for(engine, "connect")
    def limits(dbapi_connection: Any, _record: Any) -> None:
        if engine.dialect.name == "sqlite":
            dbapi_connection.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
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


class ForgettingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_waits(self.engine)

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
        parent = super()._retrieve
        return await self._tried(
            "read", lambda: in_worker_thread(lambda: finish(parent(sender_id, fetch_events_from_all_sessions)))
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        # One transaction each time (Rasa's session scope): a failed try wrote nothing.
        if self.event_broker is not None:  # streaming the events awaits: Rasa's save on the loop
            await self._tried("write", lambda: super(ForgettingSQLTrackerStore, self).save(tracker))
            await in_worker_thread(self.forget_if_deleted, tracker)
            return
        await self._tried("write", lambda: in_worker_thread(self.write, tracker))

    def write(self, tracker: DialogueStateTracker) -> None:
        finish(SQLTrackerStore.save(self, tracker))
        self.forget_if_deleted(tracker)

    def forget_if_deleted(self, tracker: DialogueStateTracker) -> None:
        if deletion_confirmed(tracker):
            with self.session_scope() as session:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
