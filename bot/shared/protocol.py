"""Names that pass between processes, written once: what the Rasa server puts
in a message's metadata for the action server, the slot through which an
action asks the Rasa server to forget a conversation, and the table Rasa's
SQL tracker store writes (read by the staff app and the purge)."""

from __future__ import annotations

# Set by the Rasa server's launcher after checking the widget's signed token
# (bot/rasa_server/launcher.py); read by actions/youth_identity.py.
VERIFIED_PROFILE_ID = "verified_profile_id"
TOKEN_REJECTED = "token_rejected"

# Set by action_delete_my_data (actions/privacy.py) once the data is gone; the
# Rasa server then deletes the conversation's events.
DELETION_SLOT = "conversation_deleted"

# The table Rasa's SQLTrackerStore writes.
TRACKER_EVENTS_TABLE = "events"
