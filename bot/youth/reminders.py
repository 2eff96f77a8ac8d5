"""Reminders the day before a confirmed meeting. The schedule is the
mentor_meetings table (Rasa's own reminders die with the server); each
reminder goes out once, through Rasa's external-event API: by text (SMS)
when the young person has a registered mobile number that has not stopped
texts, outside the municipality's quiet hours (held until they end),
otherwise to the chat conversation they last used. `python -m bot reminders
run` (started by `make run`) checks every minute; `reminders send` once
(both also send staff's notices, bot/youth/notices.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db import sms as sms_repo
from bot.db.meetings import claim_reminder, mark_reminded, meetings_to_remind, release_claim
from bot.db.youth import bind, conversations_of
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.sms.numbers import conversation_id_for

REMINDER_INTENT = "EXTERNAL_meeting_reminder"
SMS_PREFIX = "sms-"


def sms_target(session: Session, profile_id: int, number_key: str) -> tuple[str, bool] | None:
    """The young person's SMS conversation (made and bound on first use) and
    whether texts may go to it (False: the number has stopped them)."""
    mobile = sms_repo.mobile_of(session, profile_id)
    if not mobile:
        return None
    row = sms_repo.conversation(session, mobile, conversation_id_for(mobile, number_key))
    if row.opted_out_at is not None:
        return row.conversation_id, False
    if not bind(session, row.conversation_id, profile_id, "sms"):
        return None  # the number's conversation is someone else's: no text
    return row.conversation_id, True


def send_due(
    sessions: sessionmaker[Session],
    rasa: RasaClient,
    now: datetime,
    idle: timedelta | None = None,
    *,
    number_key: str = "",
    quiet: Callable[[datetime], bool] = lambda _now: False,
) -> int:
    """Send the reminders that are due; returns how many went out. A conversation
    whose pairing is idle longer than `idle` is logged out: it gets none."""
    sent = 0
    with sessions() as session:
        due = [(m.id, m.conversation_id, m.profile_id) for m in meetings_to_remind(session, now)]
    for meeting_id, conversation, profile_id in due:
        with sessions.begin() as session:
            claim = claim_reminder(session, meeting_id, now)
        if claim is None:
            continue  # another scheduler has it, or sent it since
        if send_one(sessions, rasa, now, idle, (meeting_id, conversation, profile_id), number_key, quiet):
            with sessions.begin() as session:
                mark_reminded(session, meeting_id, now, claim)
            sent += 1
        else:
            with sessions.begin() as session:
                release_claim(session, meeting_id, claim)
    return sent


def send_one(
    sessions: sessionmaker[Session],
    rasa: RasaClient,
    now: datetime,
    idle: timedelta | None,
    meeting: tuple[int, str | None, int],
    number_key: str,
    quiet: Callable[[datetime], bool],
) -> bool:
    """Send one claimed reminder; False if it could not go out now (tried again later)."""
    meeting_id, conversation, profile_id = meeting
    with sessions.begin() as session:
        by_sms = sms_target(session, profile_id, number_key) if number_key else None
        chats = [c for c in conversations_of(session, profile_id, now=now, idle=idle) if not c.startswith(SMS_PREFIX)]
    target: str | None
    if by_sms is not None and by_sms[1]:
        if quiet(now):
            return False  # no texts at night: sent when the quiet hours end
        target, channel = by_sms[0], "sms"
    else:
        booked_in_chat = conversation if conversation and not conversation.startswith(SMS_PREFIX) else None
        target, channel = (chats[0] if chats else booked_in_chat), "latest"
    if not target:
        return False  # not reachable yet
    try:
        rasa.trigger_intent(target, REMINDER_INTENT, {"meeting_id": str(meeting_id)}, output_channel=channel)
    except RasaUnavailable:
        return False
    return True
