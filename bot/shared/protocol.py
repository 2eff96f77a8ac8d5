"""Names that pass between processes, written once: what the Rasa server puts
in a message's metadata for the action server, the slot through which an
action asks the Rasa server to forget a conversation, and the table Rasa's
SQL tracker store writes (read by the staff app and the purge)."""

from __future__ import annotations

# Set by the Rasa server's launcher after checking the widget's signed token
# (bot/rasa_server/launcher.py); read by actions/youth_identity.py.
VERIFIED_PROFILE_ID = "verified_profile_id"
TOKEN_REJECTED = "token_rejected"
# Set by the Rasa server for a text from a number registered on no profile
# (bot/rasa_server/channels/sms.py): the general assistant only.
SMS_UNREGISTERED = "sms_unregistered"
# Who verified VERIFIED_PROFILE_ID when not the website's token: "sms" (the registered number).
VERIFIED_BY = "verified_by"

# Between the Rasa server's sms channel and the application's internal SMS app
# (bot/sms/app.py, on 127.0.0.1): the header with SMS_INTERNAL_SECRET, and its routes.
SMS_SECRET_HEADER = "X-Sms-Internal-Secret"
SMS_INBOUND_PATH = "/internal/sms/inbound"
SMS_OUTBOX_PATH = "/internal/sms/outbox"
SMS_STATUS_PATH = "/internal/sms/status"
# The reminder the day before a meeting (actions/meetings.py): Rasa names the
# response a message came from (`utter_action`), and the sms channel files
# that one's text as a reminder, not a reply (staff see which it was).
REMINDER_RESPONSE = "utter_meeting_reminder"

# Set by action_delete_my_data (actions/privacy.py) once the data is gone; the
# Rasa server then deletes the conversation's events.
DELETION_SLOT = "conversation_deleted"

# The table Rasa's SQLTrackerStore writes.
TRACKER_EVENTS_TABLE = "events"

# The intent the danger layer (bot/rasa_server/danger_detector.py) gives a
# message that is danger; the action queues the case, and the periodic sweep
# (bot/handover.py) finds one whose case was never queued in the events table.
DANGER_INTENT = "express_distress"
