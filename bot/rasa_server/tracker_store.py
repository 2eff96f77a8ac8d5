"""The Rasa server's tracker store (endpoints.yml: `tracker_store: type:
bot.rasa_server.tracker_store.ForgettingSQLTrackerStore`): Rasa's SQL tracker
store, which also forgets a conversation when the person asked for their data
to be deleted. action_delete_my_data deletes what the municipal database holds
and sets the slot `conversation_deleted` (bot/shared/protocol.py); this store,
after saving that turn, deletes the conversation's events, so nothing of it
stays in the tracker store."""

from __future__ import annotations

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

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
    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if deletion_confirmed(tracker):
            with self.session_scope() as session:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
