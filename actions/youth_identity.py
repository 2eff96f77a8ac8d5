"""Who a young person is: nothing personal is shown or changed until the
conversation is bound to a youth_profiles row, by the website's signed token
(checked by the Rasa server on every message, bot/rasa_server/launcher.py), by
the registered mobile number of a text (asserted by the Rasa server's sms
channel on every text) or by a one-time pairing code from staff. "log mig ud"
/ "glem mig" unbinds. A text from a number registered on no profile gets
nothing personal, and no pairing either: the contact person registers the number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import Interruptible
from actions.transaction import Transaction
from bot.db.youth import (
    MAX_WRONG_CODES_PER_CONVERSATION,
    bind,
    bound_profile_id,
    get_profile,
    redeem_code,
    touch_binding,
    unbind,
)
from bot.db.youth_models import YouthProfile
from bot.shared.clock import utc_now
from bot.shared.municipality import current_municipality
from bot.shared.protocol import SMS_UNREGISTERED, TOKEN_REJECTED, VERIFIED_BY, VERIFIED_PROFILE_ID
from bot.shared.settings import load_settings
from bot.youth.pairing import find_code

# Why a conversation is not identified, told to the young person in a word.
NOT_IDENTIFIED_RESPONSES = {
    None: "utter_identify_first",
    TOKEN_REJECTED: "utter_token_rejected",
    "token_missing": "utter_token_rejected",
    "other_profile": "utter_identified_as_someone_else",
    "pairing_expired": "utter_pairing_expired",
    SMS_UNREGISTERED: "utter_sms_register_number",
}
# Bindings that hold only while every message proves them again (a token, a number).
ASSERTED_METHODS = ("token", "sms")


now = utc_now  # a module attribute, so that tests can set the clock


def pairing_idle() -> timedelta:
    return current_municipality().security.pairing_idle


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the Rasa server verified about the latest message (never what a client claimed)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            return metadata if isinstance(metadata, dict) else {}
    return {}


@dataclass(frozen=True)
class Identity:
    profile_id: int | None
    problem: str | None = None


def resolve_identity(session: Session, tracker: Tracker) -> Identity:
    """The young person this conversation is identified as, binding it to a
    valid website token on first use. A conversation bound by a token needs a
    valid token on every message; one bound by a pairing code stays bound
    until "log mig ud"."""
    metadata = latest_metadata(tracker)
    conversation = tracker.sender_id
    verified = metadata.get(VERIFIED_PROFILE_ID)
    if metadata.get(SMS_UNREGISTERED):
        return Identity(None, SMS_UNREGISTERED)
    if isinstance(verified, int):
        method = "sms" if metadata.get(VERIFIED_BY) == "sms" else "token"
        if not bind(session, conversation, verified, method):
            return Identity(None, "other_profile")
        return Identity(verified)
    if metadata.get(TOKEN_REJECTED):
        return Identity(None, TOKEN_REJECTED)
    stored = bound_profile_id(session, conversation)
    if stored is None:
        return Identity(None)
    if stored[1] in ASSERTED_METHODS:
        return Identity(None, "token_missing")
    if bound_profile_id(session, conversation, now=now(), idle=pairing_idle()) is None:
        unbind(session, conversation)
        return Identity(None, "pairing_expired")
    touch_binding(session, conversation, now())
    return Identity(stored[0])


def identified_profile(session: Session, tracker: Tracker) -> tuple[YouthProfile | None, str | None]:
    identity = resolve_identity(session, tracker)
    profile = get_profile(session, identity.profile_id) if identity.profile_id is not None else None
    return profile, identity.problem


def young_person(tx: Transaction, tracker: Tracker) -> YouthProfile | None:
    """The transaction template's identity check: the young person the
    conversation is verified as (a first valid website token binds it, an
    idle pairing is logged out: both are committed with the action's work),
    or None, with the reply that tells them why not. A pairing code in the
    request itself ("har jeg nogen møder? K7P-4QX") is redeemed first."""
    profile, problem = identified_profile(tx.session, tracker)
    if profile is None and problem is None:
        code = find_code(tracker.latest_message.get("text") or "")
        if code is not None and pair(tx, tracker, code).get("pairing_outcome") == "bound":
            return identified_profile(tx.session, tracker)[0]
        if code is not None:
            return None  # pair() said why not
    if profile is None:
        tx.reply(NOT_IDENTIFIED_RESPONSES.get(problem, "utter_identify_first"))
    return profile


# How many messages back a request answered with "who are you?" is still taken up after pairing.
PENDING_WITHIN = 3


def pending_request(tracker: Tracker) -> dict[str, Any] | None:
    """The young person's request that was answered with "tell me who you are
    first" (the message before the latest utter_identify_first), if it came at
    most PENDING_WITHIN messages ago: after pairing it is answered, so nobody
    has to ask again."""
    events, users = tracker.events, 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user":
            users += 1
            if users > PENDING_WITHIN:
                return None
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_identify_first":
            earlier = [e for e in events[:index] if e.get("event") == "user"]
            return earlier[-1] if earlier else None
    return None


def take_up(request: dict[str, Any] | None) -> list[EventType]:
    """The events that hand the pending request to the dialogue again, as if
    just sent (the way Rasa's own two-stage fallback re-utters a message)."""
    if not request:
        return []
    return [
        ActionExecuted("action_listen"),
        UserUttered(request.get("text"), request.get("parse_data"), input_channel=request.get("input_channel")),
    ]


def redeem_unread_code(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A message NLU did not understand that holds a pairing code, from someone
    not identified, is the code (then the pending request is taken up); None
    when the message is not that."""
    code = find_code(tracker.latest_message.get("text") or "")
    if code is None:
        return None
    outcome: str | None = "already"
    with Transaction(dispatcher, "action_handle_fallback") as tx:
        if identified_profile(tx.session, tracker)[0] is None:
            outcome = pair(tx, tracker, code).get("pairing_outcome")
    if outcome == "already":
        return None
    return take_up(pending_request(tracker)) if outcome == "bound" and not tx.failed else []


class ValidatePairingForm(Interruptible, FormValidationAction):
    def name(self) -> str:
        return "validate_pairing_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("pairing_outcome"):
            return []  # identified, locked out, or identified already
        return ["pairing_code"]

    def holds_an_answer(self, tracker: Tracker, intent: str) -> bool:
        # A code is the answer, whatever the message was read as.
        return find_code(tracker.latest_message.get("text") or "") is not None

    async def extract_pairing_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        asked = tracker.get_slot("requested_slot") == "pairing_code"
        code = find_code(text)
        if code or asked:
            return {"pairing_code": code or text[:40]}
        return {}

    def validate_pairing_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code = find_code(str(value or ""))
        with Transaction(dispatcher, self.name()) as tx:
            slots = pair(tx, tracker, code)
        if tx.failed:
            return {"pairing_code": None, "pairing_outcome": "error"}
        return slots


def pair(tx: Transaction, tracker: Tracker, code: str | None) -> dict[str, Any]:
    """Redeem a pairing code (a wrong one counts against the limits); the slots to set."""
    profile, problem = identified_profile(tx.session, tracker)
    if problem == SMS_UNREGISTERED:
        tx.reply(NOT_IDENTIFIED_RESPONSES[SMS_UNREGISTERED])
        return {"pairing_code": None, "pairing_outcome": "locked"}
    if profile is not None:
        tx.reply("utter_already_identified", first_name=profile.first_name)
        return {"pairing_code": None, "pairing_outcome": "already"}
    if code is None:
        tx.reply("utter_code_format")
        return {"pairing_code": None}
    result = redeem_code(tx.session, tracker.sender_id, code, secret=load_settings().youth_token_secret, now=now())
    if result.outcome == "bound":
        tx.reply("utter_identified", first_name=result.profile.first_name if result.profile else "")
        return {"pairing_code": None, "pairing_outcome": "bound"}
    if result.outcome in ("locked", "busy"):
        tx.reply("utter_code_locked" if result.outcome == "locked" else "utter_code_busy")
        return {"pairing_code": None, "pairing_outcome": "locked"}
    if result.outcome == "other_profile":
        tx.reply("utter_identified_as_someone_else")
        return {"pairing_code": None, "pairing_outcome": "other_profile"}
    tx.reply(
        "utter_code_used"
        if result.outcome == "used"
        else "utter_code_expired"
        if result.outcome == "expired"
        else "utter_code_wrong",
        max_tries=str(MAX_WRONG_CODES_PER_CONVERSATION),
    )
    return {"pairing_code": None}


class ActionFinishPairing(Action):
    def name(self) -> str:
        return "action_finish_pairing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        bound = tracker.get_slot("pairing_outcome") == "bound"
        events: list[EventType] = [SlotSet("pairing_code", None), SlotSet("pairing_outcome", None)]
        return events + (take_up(pending_request(tracker)) if bound else [])


class ActionForgetMe(Action):
    """ "log mig ud": the conversation is no longer identified; nothing of the profile is deleted."""

    def name(self) -> str:
        return "action_forget_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        with Transaction(dispatcher, self.name()) as tx:
            was_bound = unbind(tx.session, tracker.sender_id)
            tx.reply("utter_logged_out" if was_bound else "utter_not_logged_in")
        # What was saved before is no longer this chat's to take back (actions/youth_undo.py).
        return [] if tx.failed else [SlotSet("youth_last_save", None)]
