"""The Rasa server's tracker store (endpoints.yml: `tracker_store: type:
bot.rasa_server.tracker_store.ForgettingSQLTrackerStore`): Rasa's SQL tracker
store, which also forgets a conversation when the person asked for their data
to be deleted. action_delete_my_data deletes what the municipal database holds
and sets the slot `conversation_deleted` (bot/shared/protocol.py); this store,
after saving that turn, deletes the conversation's events, so nothing of it
stays in the tracker store.

Its reads and writes run in a worker thread (bot/rasa_server/offload.py):
Rasa's SQL tracker store calls SQLAlchemy synchronously, and on the event
loop each call held up every other conversation and webhook."""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server.offload import finish, in_worker_thread
from bot.shared.protocol import DELETION_SLOT


def deletion_confirmed(tracker: DialogueStateTracker) -> bool:
    """Whether this turn (the events since the latest user message) deleted the data."""
    for event in reversed(tracker.events):
        if isinstance(event, SlotSet) and event.key == DELETION_SLOT and event.value is True:
            return True
        if isinstance(event, UserUttered):
            return False
    return False


class ForgettingSQLTrackerStore(SQLTrackerStore):
    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        parent = super()._retrieve
        return await in_worker_thread(lambda: finish(parent(sender_id, fetch_events_from_all_sessions)))

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.event_broker is not None:  # streaming the events awaits: Rasa's save on the loop
            await super().save(tracker)
            await in_worker_thread(self.forget_if_deleted, tracker)
            return
        await in_worker_thread(self.write, tracker)

    def write(self, tracker: DialogueStateTracker) -> None:
        finish(SQLTrackerStore.save(self, tracker))
        self.forget_if_deleted(tracker)

    def forget_if_deleted(self, tracker: DialogueStateTracker) -> None:
        if deletion_confirmed(tracker):
            with self.session_scope() as session:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
