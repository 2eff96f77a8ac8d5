"""Telling a young person that staff confirmed or moved their meeting. Sent by
the reminder job (bot/youth/notices.py) through Rasa's trigger_intent API with
`EXTERNAL_meeting_notice`, by text or in the chat, once per change."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.transaction import Transaction
from actions.youth_identity import now, pairing_idle
from bot.dates.words import MONTH_NAMES, WEEKDAY_NAMES
from bot.db import meetings as repo
from bot.db.youth import bound_profile_id
from bot.db.youth_models import MeetingStatus
from bot.shared.clock import DANISH_TIME

NOTICES = {"confirmed": "utter_meeting_confirmed", "moved": "utter_meeting_moved_by_staff"}


def danish_day(moment: Any) -> str:
    """A time as a young person reads it: 'torsdag den 10. december'."""
    local = moment.astimezone(DANISH_TIME)
    return f"{WEEKDAY_NAMES[local.weekday()]} den {local.day}. {MONTH_NAMES[local.month - 1]}"


class ActionNotifyMeeting(Action):
    def name(self) -> str:
        return "action_notify_meeting"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        meeting_id = next(
            (
                str(e.get("value"))
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == "meeting_id"
            ),
            "",
        )
        # No reply on a database error: a notice that cannot be checked is not sent.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            bound = bound_profile_id(tx.session, tracker.sender_id, now=now(), idle=pairing_idle())
            # Only a meeting of the young person this conversation is bound to.
            meeting = (
                repo.own_meeting(tx.session, bound[0], int(meeting_id))
                if bound is not None and meeting_id.isdigit()
                else None
            )
            if (
                meeting is not None
                and meeting.status == MeetingStatus.CONFIRMED
                and meeting.starts_at is not None
                and meeting.staff_notice in NOTICES
                # Once: a second request for it (a scheduler that died before marking it told) gets no answer.
                and repo.take_notice(tx.session, meeting.id, now())
            ):
                tx.reply(
                    NOTICES[meeting.staff_notice],
                    mentor_name=meeting.with_whom,
                    meeting_day=danish_day(meeting.starts_at),
                    meeting_time=f"{meeting.starts_at.astimezone(DANISH_TIME):%H.%M}",
                )
        return []
