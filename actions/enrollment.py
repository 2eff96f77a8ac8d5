"""Writing the enrollment when the form is done, and leaving the form."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import message_id_of
from actions.enrollment_form import FORM_SLOTS
from actions.enrollment_summary import consent_text
from actions.handover import HANDOFF_SLOTS
from actions.satisfaction import offer_satisfaction
from actions.teams import describe_team
from actions.transaction import Transaction
from actions.youth_forms import reset_youth_slots, stop_says_yes
from bot.db.consents import ENROLLMENT, record_consent
from bot.db.enrollments import (
    MAX_HELD_PER_CONTACT,
    MAX_NEW_ENROLLMENTS_PER_CONTACT,
    NewEnrollment,
    TeamFullError,
    create_enrollment,
    find_by_message,
    new_enrollments_with_contact,
)
from bot.db.escalations import open_escalation
from bot.db.teams import get_team_by_code
from bot.shared.municipality import contact_details, course_details

HELD_ENROLLMENT = "enrollment_check"
# Set by the form, never asked: the first child and the consent come with the summary's yes.
HELPER_SLOTS = ["first_child", "consent", "contact_email", "contact_phone", "enrollment_outcome", "enrollment_known"]
LOOKUP_SLOTS = [
    "lookup_purpose",
    "lookup_enrollment_id",
    "lookup_grant",
    "lookup_reference",
    "lookup_contact",
    "cancel_confirmed",
    "enrollment_known",
]
OUTCOME_RESPONSES = {
    "not_first_child": "utter_not_first_child",
    "child_too_old": "utter_child_too_old",
    "too_early_no_team": "utter_too_early_no_team",
    "no_team_fits": "utter_no_team_fits",
    "no_consent": "utter_no_consent",
    "declined": "utter_enrollment_not_saved",
    "database_error": "utter_database_error",
    "contact_limit": "utter_enrollment_contact_limit",
}


def reset_enrollment_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS + HELPER_SLOTS]


def reset_lookup_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in LOOKUP_SLOTS] + [SlotSet("lookup_attempts", 0)]


class ActionSubmitEnrollment(Action):
    """Write the enrollment (or explain why not), then clear the form."""

    def name(self) -> str:
        return "action_submit_enrollment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        outcome = tracker.get_slot("enrollment_outcome")
        confirmed = tracker.get_slot("enrollment_confirmed") is True
        consent = tracker.get_slot("consent") is True
        details = contact_details() | course_details()

        if outcome == "no_consent":
            self.record_declined(dispatcher, tracker)
        if outcome or not (confirmed and consent):
            dispatcher.utter_message(response=OUTCOME_RESPONSES.get(outcome, "utter_enrollment_not_saved"), **details)
            return reset_enrollment_slots()

        try:
            with Transaction(dispatcher, self.name(), error_reply="utter_enrollment_database_error") as tx:
                self.enrol(tx, tracker, details)
        except TeamFullError:  # rolled back
            dispatcher.utter_message(response="utter_team_full")
            # Back into the form to choose another team; the rest is kept.
            return [
                SlotSet("team_code", None),
                SlotSet("enrollment_confirmed", None),
                ActiveLoop("enrollment_form"),
                FollowupAction("enrollment_form"),
            ]
        if tx.failed:
            # Rolled back, and the citizen told so. The answers are kept: the form
            # shows the summary again, and one more yes tries again.
            return [
                SlotSet("enrollment_confirmed", None),
                ActiveLoop("enrollment_form"),
                FollowupAction("enrollment_form"),
            ]
        return reset_enrollment_slots()

    @staticmethod
    def enrol(tx: Transaction, tracker: Tracker, details: dict[str, Any]) -> None:
        """Write the enrollment and its consent (held for staff past the per-contact
        limit; nothing past MAX_HELD_PER_CONTACT); raises TeamFullError.

        Once per message: a yes sent again with its id (the widget, after the
        Rasa server that handled it died having had this written but before it
        stored the turn, bot/rasa_server/resend.py) gets the same answer, and
        nothing is written again."""
        session = tx.session
        message_id = message_id_of(tracker)
        written = find_by_message(session, tracker.sender_id, message_id) if message_id else None
        if written is not None:
            tx.reply(
                "utter_enrollment_saved", reference_code=written.reference_code, team_text=describe_team(written.team)
            )
            offer_satisfaction(tx, tracker, "enrollment", team="course")
            return
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        born = tracker.get_slot("child_born") is True
        team = get_team_by_code(session, tracker.get_slot("team_code"))
        email, phone = tracker.get_slot("contact_email"), tracker.get_slot("contact_phone")
        earlier = new_enrollments_with_contact(session, email=email, phone=phone)
        if earlier >= MAX_HELD_PER_CONTACT:
            tx.reply("utter_enrollment_contact_limit", **details)
            return
        if team is None:
            raise TeamFullError(tracker.get_slot("team_code"))
        # Past the per-contact limit the enrollment is held for staff to
        # check, and answered like any other: the answer never says
        # whether someone enrolled with this contact before.
        held = earlier >= MAX_NEW_ENROLLMENTS_PER_CONTACT
        enrollment = create_enrollment(
            session,
            NewEnrollment(
                team_id=team.id,
                parent_name=tracker.get_slot("parent_name"),
                partner_name=tracker.get_slot("partner_name"),
                due_date=None if born else child_date,
                birth_date=child_date if born else None,
                email=email,
                phone=phone,
                conversation_id=tracker.sender_id,
                consent_text=consent_text(tracker),
                message_id=message_id,
            ),
            held=held,
        )
        if held:
            open_escalation(
                session,
                conversation_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "unknown",
                reason=HELD_ENROLLMENT,
                priority="normal",
                team="course",
                summary=f"Tilmelding {enrollment.reference_code} venter på kontrol: "
                f"{earlier} andre tilmeldinger med samme kontakt det seneste døgn. "
                "Den har ingen plads endnu; ring og bekræft, eller afmeld.",
            )
        record_consent(
            session,
            conversation_id=tracker.sender_id,
            purpose=ENROLLMENT,
            text_shown=consent_text(tracker),
            given=True,
            subject=enrollment.reference_code,
        )
        tx.reply("utter_enrollment_saved", reference_code=enrollment.reference_code, team_text=describe_team(team))
        offer_satisfaction(tx, tracker, "enrollment", team="course")

    def record_declined(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """A no is recorded too (what was asked, when), with nothing else about the person.
        No reply of its own on a database error: nothing was stored, which is what the parent asked for."""
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            record_consent(
                tx.session,
                conversation_id=tracker.sender_id,
                purpose=ENROLLMENT,
                text_shown=consent_text(tracker),
                given=False,
            )


class ActionStopForm(Action):
    """The user said stop inside a form: leave it and store nothing."""

    def name(self) -> str:
        return "action_stop_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if stop_says_yes(tracker):
            # "just cancel it" to "Skal jeg aflyse mødet …?": the form takes it as its yes
            return [FollowupAction(str((tracker.active_loop or {}).get("name")))]
        if (tracker.active_loop or {}).get("name") == "contact_form":
            # The conversation is already with staff; only the contact wish is skipped.
            dispatcher.utter_message(response="utter_contact_stopped")
            return [ActiveLoop(None), SlotSet("requested_slot", None)] + [SlotSet(s, None) for s in HANDOFF_SLOTS]
        dispatcher.utter_message(response="utter_enrollment_stopped")
        return (
            [
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                SlotSet("pairing_code", None),
                SlotSet("pairing_outcome", None),
            ]
            + reset_enrollment_slots()
            + reset_lookup_slots()
            + reset_youth_slots()
        )
