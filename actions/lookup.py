"""Checking and cancelling an enrollment: in the same conversation directly, in a
later one with the reference code plus the e-mail or phone given at enrollment.
A miss says only that nothing matched, and wrong tries are limited per
conversation, per code and overall (bot/db/enrollments.py)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import Interruptible, latest_intent, read_yes_no, starts_with_a_yes, today
from actions.enrollment import reset_lookup_slots
from actions.teams import describe_team
from actions.transaction import Reply, Transaction
from bot.db.enrollments import cancel_enrollment, find_active_for_conversation, get_enrollment, look_up
from bot.db.models import EnrollmentStatus
from bot.forms.enrollment_extract import wants_enrollment
from bot.shared.course_cancel import says_cancel
from bot.shared.municipality import contact_details
from bot.shared.settings import load_settings
from bot.validation import normalise_reference, parse_contact

MAX_LOOKUP_ATTEMPTS = 3
PURPOSE_BY_INTENT = {"check_enrollment": "check", "cancel_enrollment": "cancel"}
# The code question answered with a due date and a name: an enrolment after all.
ENROLL_INSTEAD = "enroll_instead"


def enrollment_instead(dispatcher: CollectingDispatcher) -> list[EventType]:
    """Start the enrollment form on the latest message: activated by the
    follow-up, the form reads that message first (a due date, names, a
    contact), then asks only what is missing."""
    dispatcher.utter_message(response="utter_start_enrollment")
    return [
        SlotSet("lookup_purpose", "enroll"),
        SlotSet("enrollment_known", False),
        FollowupAction("enrollment_form"),
    ]


def reads_as_enrollment(tracker: Tracker) -> bool:
    return wants_enrollment(str(tracker.latest_message.get("text") or ""), today())


def lookup_grant(conversation_id: str, enrollment_id: int) -> str:
    """Proof, kept in the slot `lookup_grant`, that this conversation found this
    enrolment (its own, or by code and contact). The id alone is not trusted:
    a tracker with another id would otherwise show or cancel any enrolment.
    Signed with the action server's secret, which only the action server and
    the Rasa server hold."""
    key = load_settings().action_server_token.encode()
    return hmac.new(key, f"lookup:{conversation_id}:{enrollment_id}".encode(), hashlib.sha256).hexdigest()


def found_events(conversation_id: str, enrollment_id: int) -> dict[str, Any]:
    return {"lookup_enrollment_id": float(enrollment_id), "lookup_grant": lookup_grant(conversation_id, enrollment_id)}


def granted_enrollment_id(tracker: Tracker) -> int | None:
    value, grant = tracker.get_slot("lookup_enrollment_id"), tracker.get_slot("lookup_grant")
    if value is None or not isinstance(grant, str):
        return None
    enrollment_id = int(value)
    return enrollment_id if hmac.compare_digest(grant, lookup_grant(tracker.sender_id, enrollment_id)) else None


class ActionStartLookup(Action):
    """Note what the user wants and whether this conversation already has an
    active enrollment; the rules branch on ``enrollment_known``."""

    def name(self) -> str:
        return "action_start_lookup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        purpose = PURPOSE_BY_INTENT.get(latest_intent(tracker) or "", "enroll")
        # "kan vi komme på familie med hjerte? vi har lige fået en søn d. 20/12", read as
        # a look-up: no code to ask for, it is an enrolment.
        instead = purpose == "check" and reads_as_enrollment(tracker)
        purpose = "enroll" if instead else purpose
        # "ej vent, vi er allerede tilmeldt via jordemoderen, kan vi afmelde den her igen",
        # read as a wish to enrol ("tilmeldt") or to check: the enrolment is called off.
        cancelling = purpose != "cancel" and says_cancel(str(tracker.latest_message.get("text") or ""))
        instead = instead and not cancelling
        purpose = "cancel" if cancelling else purpose
        # No reply on a database error: the form asks for the code, as for an enrollment not known here.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            enrollment = find_active_for_conversation(tx.session, tracker.sender_id)
            enrollment_id = enrollment.id if enrollment is not None else None
        events: list[EventType] = [SlotSet("lookup_purpose", purpose)]
        if instead and (tx.failed or enrollment_id is None):
            return enrollment_instead(dispatcher)
        # The rules that follow this action branch on the intent; calling off the
        # course by another intent's words goes straight to the look-up form.
        then: list[EventType] = [FollowupAction("enrollment_lookup_form")] if cancelling else []
        if tx.failed or enrollment_id is None:
            return events + [SlotSet("enrollment_known", False), *then]
        return (
            events
            + [SlotSet("enrollment_known", True)]
            + [SlotSet(name, value) for name, value in found_events(tracker.sender_id, enrollment_id).items()]
            + then
        )


class ValidateEnrollmentLookupForm(Interruptible, FormValidationAction):
    def name(self) -> str:
        return "validate_enrollment_lookup_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        cancelling = tracker.get_slot("lookup_purpose") == "cancel"
        if tracker.get_slot("lookup_purpose") == ENROLL_INSTEAD:
            return []
        if tracker.get_slot("lookup_attempts") and tracker.get_slot("lookup_attempts") >= MAX_LOOKUP_ATTEMPTS:
            return []
        if tracker.get_slot("lookup_enrollment_id") is not None:
            return ["cancel_confirmed"] if cancelling else []
        return ["lookup_reference", "lookup_contact"] + (["cancel_confirmed"] if cancelling else [])

    def enrolling_instead(self, tracker: Tracker) -> bool:
        """The code question answered with what an enrolment asks ("terminen er
        d 9 marts, jeg hedder Mette Olsen") by someone who was checking."""
        return (
            tracker.get_slot("requested_slot") == "lookup_reference"
            and tracker.get_slot("lookup_purpose") == "check"
            and normalise_reference(str(tracker.latest_message.get("text") or "")) is None
            and reads_as_enrollment(tracker)
        )

    def holds_an_answer(self, tracker: Tracker, intent: str) -> bool:
        return self.enrolling_instead(tracker)

    def stop_is_a_yes(self, tracker: Tracker) -> bool:
        # "yes cancel it", "ja, afmeld den bare" to "Vil du afmelde tilmelding …?" (NLU: stop).
        text = str(tracker.latest_message.get("text") or "")
        return (
            tracker.get_slot("requested_slot") == "cancel_confirmed" and starts_with_a_yes(text) and says_cancel(text)
        )

    async def extract_cancel_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The domain's from_text mapping skips a stop: read the yes here.
        if latest_intent(tracker) == "stop" and self.stop_is_a_yes(tracker):
            return {"cancel_confirmed": True}
        return {}

    async def extract_lookup_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The domain's mapping skips some intents ("ja tak, jeg hedder …" is affirm): read it here.
        if self.enrolling_instead(tracker):
            return {"lookup_reference": str(tracker.latest_message.get("text"))}
        return {}

    def validate_lookup_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if self.enrolling_instead(tracker):
            return {"lookup_reference": None, "lookup_purpose": ENROLL_INSTEAD}
        code = normalise_reference(str(value))
        if code is None:
            dispatcher.utter_message(response="utter_invalid_reference")
        return {"lookup_reference": code}

    def validate_lookup_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = parse_contact(str(value))
        # No reply on a database error: the finish says what to do.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            found = look_up(
                tx.session,
                tracker.sender_id,
                tracker.get_slot("lookup_reference") or "",
                email=contact.email,
                phone=contact.phone,
            )  # a miss counts against the limits
            slots = self.after_look_up(
                tx, tracker, found.enrollment.id if found.enrollment else None, limited=found.outcome == "limited"
            )
        if tx.failed:
            return {"lookup_contact": None, "lookup_attempts": MAX_LOOKUP_ATTEMPTS}
        return slots

    @staticmethod
    def after_look_up(tx: Transaction, tracker: Tracker, enrollment_id: int | None, *, limited: bool) -> dict[str, Any]:
        if enrollment_id is not None:
            return {"lookup_contact": "ok", **found_events(tracker.sender_id, enrollment_id)}
        attempts = MAX_LOOKUP_ATTEMPTS if limited else (tracker.get_slot("lookup_attempts") or 0) + 1
        if attempts < MAX_LOOKUP_ATTEMPTS:
            tx.reply("utter_lookup_not_found")
        # Ask for both again: a typo can be in either.
        return {"lookup_reference": None, "lookup_contact": None, "lookup_attempts": attempts}

    def validate_cancel_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_yes_no(value, tracker)
        if answer is None:
            dispatcher.utter_message(response="utter_ask_yes_or_no")
        return {"cancel_confirmed": answer}


class ActionAskCancelConfirmed(Action):
    def name(self) -> str:
        return "action_ask_cancel_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        enrollment_id = granted_enrollment_id(tracker)
        with Transaction(dispatcher, self.name()) as tx:
            enrollment = get_enrollment(tx.session, enrollment_id) if enrollment_id is not None else None
            if enrollment is not None:
                tx.reply(
                    "utter_ask_cancel_confirmed",
                    reference_code=enrollment.reference_code,
                    team_text=describe_team(enrollment.team),
                )
            else:
                tx.reply("utter_lookup_failed", **contact_details())
            asked = enrollment is not None
        if not tx.failed and asked:
            return []
        return [ActiveLoop(None), *reset_lookup_slots()]


class ActionFinishLookup(Action):
    """Show the enrollment, or cancel it after a yes, then clear the look-up."""

    def name(self) -> str:
        return "action_finish_lookup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        enrollment_id = granted_enrollment_id(tracker)
        purpose = tracker.get_slot("lookup_purpose")
        if purpose == ENROLL_INSTEAD:
            return [*reset_lookup_slots(), *enrollment_instead(dispatcher)]
        if enrollment_id is None:
            dispatcher.utter_message(response="utter_lookup_failed", **contact_details())
            return reset_lookup_slots()
        # Sent after the commit: never "afmeldt" and then that the database failed.
        with Transaction(dispatcher, self.name()) as tx:
            tx.reply_all(
                [finish_lookup(tx.session, enrollment_id, purpose, cancel=tracker.get_slot("cancel_confirmed") is True)]
            )
        return reset_lookup_slots()


def finish_lookup(session: Session, enrollment_id: int, purpose: str | None, *, cancel: bool) -> Reply:
    """Show the enrollment, or cancel it after a yes; the reply."""
    enrollment = get_enrollment(session, enrollment_id)
    if enrollment is None:  # deleted since it was found
        return "utter_lookup_failed", contact_details()
    details = contact_details() | {
        "reference_code": enrollment.reference_code,
        "team_text": describe_team(enrollment.team),
        "team_address": enrollment.team.address,
    }
    if purpose == "cancel" and cancel:
        if enrollment.status == EnrollmentStatus.CANCELLED:
            return "utter_enrollment_already_cancelled", details
        cancel_enrollment(session, enrollment)
        return "utter_enrollment_cancelled", details
    if purpose == "cancel":
        return "utter_cancel_aborted", details
    if purpose == "enroll":
        return "utter_already_enrolled", details
    return {
        EnrollmentStatus.ACTIVE: "utter_enrollment_status",
        EnrollmentStatus.HELD: "utter_enrollment_status_held",
    }.get(enrollment.status, "utter_enrollment_status_cancelled"), details
