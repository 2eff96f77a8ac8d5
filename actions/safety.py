"""Danger first. The danger layer in the NLU pipeline (bot/rasa_server/danger_detector.py)
decides on every message, in every state, before any form sees it:

- express_distress: the assistant has already named 112 and the help line
  that fits (utter_distress_help); action_escalate_distress queues the
  conversation for staff as critical and leaves any form, its answers kept;
  the contact wish comes next.
- possible_distress: the assistant has asked whether someone is in danger
  right now (utter_danger_check_in, with 112 and Livslinien already in it);
  action_pause_for_check_in sets any form aside so the yes or no is not
  taken as an answer to it. Yes is the high path; no and
  action_resume_after_check_in take the form up again at its next question,
  or, outside a form, answer the service question the message named
  (actions/services.py, held_by_check_in).

A no that tells how bad the person feels ("nej, bare meget ked af det", to
the check-in or to any yes/no offer: action_answer_no) is answered with the
offer of a person, not with "Helt i orden" (bot/shared/feelings.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handover import handoff_events, open_case
from actions.services import answer_topic, held_by_check_in
from actions.transaction import Transaction
from bot.shared.feelings import tells_feeling_bad
from bot.shared.municipality import contact_details

PAUSED_FORM = "paused_form"
KIND_SLOT = "danger_kind"
# The contact wish is asked again only through the high path, never resumed as such.
NOT_RESUMED = {"contact_form"}
FEELINGS_OFFER = "utter_feelings_offer_person"


def offer_for_feelings(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Offer a person when the latest message tells how bad its writer feels; whether it did."""
    if not tells_feeling_bad(tracker.latest_message.get("text") or ""):
        return False
    dispatcher.utter_message(response=FEELINGS_OFFER, **contact_details())
    return True


def active_form(tracker: Tracker) -> str | None:
    name = (tracker.active_loop or {}).get("name")
    return str(name) if name else None


class ActionEscalateDistress(Action):
    def name(self) -> str:
        return "action_escalate_distress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        form = active_form(tracker)
        paused = form if form and form not in NOT_RESUMED else tracker.get_slot(PAUSED_FORM)
        kind = tracker.get_slot(KIND_SLOT) or "general"
        # The help lines are already given; the phone number in either reply needs no database.
        with Transaction(dispatcher, self.name(), error_reply="utter_distress_not_queued") as tx:
            open_case(tx.session, tracker, reason="distress", priority="critical", kind=str(kind))
            tx.reply("utter_distress_contact", **contact_details())
        return handoff_events(not tx.failed, paused)


class ActionPauseForCheckIn(Action):
    """After the check-in question: set any form aside (its answers stay)."""

    def name(self) -> str:
        return "action_pause_for_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        form = active_form(tracker)
        if form is None:
            return []
        leave = [ActiveLoop(None), SlotSet("requested_slot", None)]
        # A form set aside before the contact wish stays the one to go back to.
        return leave if form in NOT_RESUMED else [*leave, SlotSet(PAUSED_FORM, form)]


class ActionResumeAfterCheckIn(Action):
    """No one is in danger: say so kindly, then the form set aside goes on."""

    def name(self) -> str:
        return "action_resume_after_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        paused = tracker.get_slot(PAUSED_FORM)
        dispatcher.utter_message(response="utter_check_in_safe")
        if offer_for_feelings(dispatcher, tracker):
            return [SlotSet(PAUSED_FORM, None), ActiveLoop(None)]  # one question at a time: the offer
        if not paused or paused in NOT_RESUMED:
            # The service question the check-in held back is answered now (a form's question would come instead).
            held = held_by_check_in(tracker)
            answered = answer_topic(dispatcher, self.name(), held) if held else []
            return [SlotSet(PAUSED_FORM, None), *answered]
        return [SlotSet(PAUSED_FORM, None), FollowupAction(str(paused))]


class ActionAnswerNo(Action):
    """A no to the assistant's offer (the next step after a service answer, the
    course, a person for a worry): "Helt i orden", or the offer of a person
    when the no tells how bad its writer feels."""

    def name(self) -> str:
        return "action_answer_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if not offer_for_feelings(dispatcher, tracker):
            dispatcher.utter_message(response="utter_anything_else")
        return []
