"""Telling a young person that staff confirmed or moved their meeting.

Staff change a meeting with `python -m bot youth confirm` (bot/db/meetings.py
`confirm_meeting` marks the meeting's `staff_notice`). The reminder job sends
the notice once, on its next round, the way it sends reminders
(bot/youth/reminders.py): through Rasa's external-event API
(`EXTERNAL_meeting_notice`, answered by actions/meeting_notices.py), by text
when the young person has a registered number that has not stopped texts
(outside the quiet hours: held until they end), otherwise in the chat
conversation they last used. What was told, when and how, is stored on the
meeting, so a restart neither loses nor repeats a notice.

A number that has stopped texts (STOP) gets none, also not after START, like
every other text while stopped; with no chat either, the notice is recorded
as not sent (channel "none"), as it is for a meeting that is no longer
confirmed or already past by then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.db.meetings import claim_notice, mark_notified, meetings_to_notify, release_claim
from bot.db.youth import conversations_of
from bot.db.youth_models import MeetingStatus
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.youth.reminders import SMS_PREFIX, sms_target

NOTICE_INTENT = "EXTERNAL_meeting_notice"


def target_of(
    session: Session, profile_id: int, booked_in: str | None, now: datetime, idle: timedelta | None, number_key: str
) -> tuple[str | None, str]:
    """Where to tell the young person: (conversation, "sms" or "latest"), (None, "sms")
    for a number that has stopped texts and has no chat, (None, "") when not reachable yet."""
    by_sms = sms_target(session, profile_id, number_key) if number_key else None
    if by_sms is not None and by_sms[1]:
        return by_sms[0], "sms"
    chats = [c for c in conversations_of(session, profile_id, now=now, idle=idle) if not c.startswith(SMS_PREFIX)]
    booked_in_chat = booked_in if booked_in and not booked_in.startswith(SMS_PREFIX) else None
    target = chats[0] if chats else booked_in_chat
    if target:
        return target, "latest"
    return None, "sms" if by_sms is not None else ""


def send_notices(
    sessions: sessionmaker[Session],
    rasa: RasaClient,
    now: datetime,
    idle: timedelta | None = None,
    *,
    number_key: str = "",
    quiet: Callable[[datetime], bool] = lambda _now: False,
) -> int:
    """Tell the young people of staff's changes not told yet; returns how many were told."""
    told = 0
    with sessions() as session:
        due = [(m.id, m.profile_id, m.conversation_id, m.status, m.starts_at) for m in meetings_to_notify(session)]
    for meeting_id, profile_id, booked_in, status, starts_at in due:
        with sessions.begin() as session:
            claim = claim_notice(session, meeting_id, now)
        if claim is None:
            continue  # another scheduler has it, or told it since
        outcome = send_notice(
            sessions, rasa, now, idle, (meeting_id, profile_id, booked_in, status, starts_at), number_key, quiet
        )
        with sessions.begin() as session:
            if outcome is None:
                release_claim(session, meeting_id, claim)  # tried again next time
            else:
                mark_notified(session, meeting_id, now, outcome, claim)
        told += outcome in ("sms", "chat")
    return told


def send_notice(
    sessions: sessionmaker[Session],
    rasa: RasaClient,
    now: datetime,
    idle: timedelta | None,
    meeting: tuple[int, int, str | None, str, datetime | None],
    number_key: str,
    quiet: Callable[[datetime], bool],
) -> str | None:
    """Tell one claimed notice; returns how it went ("sms", "chat", or "none":
    it will not be told), or None when it could not go out now."""
    meeting_id, profile_id, booked_in, status, starts_at = meeting
    if status != MeetingStatus.CONFIRMED or starts_at is None or starts_at <= now:
        return "none"  # moved or cancelled by the young person since, or past
    with sessions.begin() as session:
        target, channel = target_of(session, profile_id, booked_in, now, idle, number_key)
    if target is None:
        return "none" if channel == "sms" else None  # stopped texts and no chat: none, not even after START
    if channel == "sms" and quiet(now):
        return None  # no texts at night: sent when the quiet hours end
    try:
        rasa.trigger_intent(target, NOTICE_INTENT, {"meeting_id": str(meeting_id)}, output_channel=channel)
    except RasaUnavailable:
        return None
    return "sms" if channel == "sms" else "chat"
