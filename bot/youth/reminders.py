"""Reminders the day before a confirmed meeting. The schedule is the
mentor_meetings table (Rasa's own reminders die with the server); each
reminder goes out once, through Rasa's external-event API, to the
conversation the young person last used. `python -m bot reminders run`
(started by `make run`) checks every minute; `reminders send` once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.meetings import mark_reminded, meetings_to_remind
from bot.db.models import utcnow
from bot.db.youth import conversations_of
from bot.rasa_client import RasaClient, RasaUnavailable

REMINDER_INTENT = "EXTERNAL_meeting_reminder"


def send_due(sessions: sessionmaker[Session], rasa: RasaClient, now: datetime, idle: timedelta | None = None) -> int:
    """Send the reminders that are due; returns how many went out. A conversation
    whose pairing is idle longer than `idle` is logged out: it gets none."""
    sent = 0
    with sessions() as session:
        due = [(m.id, m.conversation_id, m.profile_id) for m in meetings_to_remind(session, now)]
    for meeting_id, conversation, profile_id in due:
        with sessions.begin() as session:
            targets = conversations_of(session, profile_id, now=now, idle=idle)
        target = targets[0] if targets else conversation
        if not target:
            continue  # not reachable in the chat yet; tried again next time
        try:
            rasa.trigger_intent(target, REMINDER_INTENT, {"meeting_id": str(meeting_id)})
        except RasaUnavailable:
            continue
        with sessions.begin() as session:
            mark_reminded(session, meeting_id, now)
        sent += 1
    return sent


def run_forever(
    sessions: sessionmaker[Session], rasa: RasaClient, every_seconds: float = 60, idle: timedelta | None = None
) -> None:
    while True:
        send_due(sessions, rasa, utcnow(), idle)
        time.sleep(every_seconds)
