"""The yes before a change to an agreed meeting ("Skal jeg flytte mødet 15.
januar 2027 kl. 10.00 til …?"), and, only after a database error, before a
request or a record is saved again with the answers kept (issue 17). A no
with a new day is a correction."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.education import KIND_NAMES, described_change
from actions.meeting_requests import describe_window, say_window, window_fields
from actions.meetings import describe_held, describe_when, note_words, rating_words
from actions.transaction import Transaction
from bot.db.meetings import own_meeting
from bot.db.youth import bound_profile_id


def meeting_described(session: Session, tracker: Tracker) -> str:
    """When the chosen meeting is; only the conversation's own young person's meeting is ever described."""
    bound = bound_profile_id(session, tracker.sender_id)
    choice = str(tracker.get_slot("meeting_choice") or "")
    meeting = own_meeting(session, bound[0], int(choice)) if bound is not None and choice.isdigit() else None
    return describe_when(meeting) if meeting is not None else "?"


class ActionAskYouthConfirm(Action):
    """ "Skal jeg gemme det sådan?" with what the form collected."""

    def name(self) -> str:
        return "action_ask_youth_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        form = (tracker.active_loop or {}).get("name")
        if form == "log_meeting_form":
            dispatcher.utter_message(
                response="utter_confirm_meeting_log",
                rating=rating_words(tracker.get_slot("meeting_rating")),
                meeting_day=describe_held(tracker.get_slot("meeting_date")),
                note=note_words(tracker.get_slot("meeting_note")),
            )
        elif form == "book_meeting_form":
            window, _ = window_fields(tracker.get_slot("meeting_window"))
            dispatcher.utter_message(response="utter_confirm_meeting_request", window=say_window(window))
        elif form in ("reschedule_meeting_form", "cancel_meeting_form"):
            with Transaction(dispatcher, self.name()) as tx:
                old_when = meeting_described(tx.session, tracker)
                if form == "cancel_meeting_form":
                    tx.reply("utter_confirm_meeting_cancel", old_when=old_when)
                else:
                    window, _ = window_fields(tracker.get_slot("meeting_window"))
                    tx.reply("utter_confirm_meeting_move", old_when=old_when, window=describe_window(window))
        else:
            dispatcher.utter_message(
                response="utter_confirm_education",
                change=KIND_NAMES.get(str(tracker.get_slot("education_kind")), ""),
                programme=described_change(tracker),
            )
        return []
