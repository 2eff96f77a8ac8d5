"""Handing a conversation to a person: request_human (also in the middle of a
form, which is paused, not lost), the contact wish, and when staff answer."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import Interruptible, messages_while_asked, phrased_as_a_question, read_yes_no
from actions.transaction import Transaction
from bot.db.consents import CONTACT, record_consent
from bot.db.escalations import open_escalation, set_contact_wish
from bot.handover import CRITICAL, open_critical, team_for
from bot.shared.clock import utc_now
from bot.shared.municipality import contact_details, current_municipality
from bot.shared.opening_hours import clock, describe_opening
from bot.shared.person_request import asks_to_be_called
from bot.shared.service_words import WORRY, only_named_topic
from bot.validation import find_danish_phone, find_email, format_phone

SUMMARY_MESSAGES = 3
PAUSABLE_FORMS = ("enrollment_form", "enrollment_lookup_form")
# What the bot said just before the user asked for a person tells why they asked.
REASON_BY_PREVIOUS_RESPONSE = {
    "utter_offer_person": "misunderstood",
    "utter_report_concern": "concern",
    "utter_concern_offer_person": "concern",
    # offered because the citizen told how bad they feel, not in danger (actions/safety.py)
    "utter_feelings_offer_person": "distress",
}
# A distress case the citizen said is no danger is high, not critical (the danger layer's own is critical).
PRIORITY_BY_REASON = {"concern": "high", "distress": "high"}
# How sure NLU must have been of the concern it read under a request for a person.
CONCERN_READ = 0.5
# A concern is for a child: NLU's concern under a request for a person counts only with a child named
# ("jeg vil hellere drøfte vores situation med et menneske" read the concern at 0.56).
_A_CHILD = re.compile(
    r"\b(?:barn\w*|børn\w*|boern\w*|unger?(?:ne)?|dreng\w*|pige\w*|baby\w*|niece\w*|nevø\w*|nevoe\w*|"
    r"søn(?:nen)?|soen(?:nen)?|datter\w*|lille|små|smaa|kids?|child\w*|boys?|girls?|toddler\w*|daughter\w*|"
    r"sons?|nephew\w*|grandchild\w*|grandson\w*|granddaughter\w*)\b",
    re.IGNORECASE,
)
# A person asked for about a service named ("it's about my son's day care place") is no
# concern unless the message also says what is worrying (service_words.WORRY).
# What the danger layer or the fallback put over NLU's reading of a message.
NOT_A_READING = frozenset({"express_distress", "possible_distress", "nlu_fallback"})
RESUME_RESPONSES = {"enrollment_form": "utter_resume_enrollment", "enrollment_lookup_form": "utter_resume_lookup"}
HANDOFF_SLOTS = ("contact_method", "handoff_contact", "handoff_failed", "paused_form")
# (contact method, staff in now) -> what the citizen is told
WHEN_RESPONSES = {
    ("chat", True): "utter_handoff_chat_open",
    ("chat", False): "utter_handoff_chat_closed",
    ("phone", True): "utter_handoff_phone_open",
    ("phone", False): "utter_handoff_phone_closed",
    ("email", True): "utter_handoff_email_open",
    ("email", False): "utter_handoff_email_closed",
}

_METHODS = [
    ("phone", re.compile(r"\b(ring\w*|telefon\w*|tlf|phone|call|opkald)\b")),
    ("email", re.compile(r"\b(e-?mail\w*|mail\w*)\b")),
    ("chat", re.compile(r"\b(chat\w*|her|beskeder?|online)\b")),
]


now = utc_now  # a module attribute, so that tests can set the clock


def conversation_summary(tracker: Tracker) -> str:
    """The latest user messages and what they were understood as (CPR numbers are already masked)."""
    users = [event for event in tracker.events if event.get("event") == "user"][-SUMMARY_MESSAGES:]
    lines = [f"{(e.get('parse_data') or {}).get('intent', {}).get('name', '?')}: {e.get('text') or ''}" for e in users]
    return "\n".join(lines)


def previous_response(tracker: Tracker) -> str | None:
    """The response the bot sent before the latest user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return (event.get("metadata") or {}).get("utter_action")
    return None


def asked_in_own_words(tracker: Tracker) -> bool:
    """A request for a person written out ("kan jeg ikke bare få en
    medarbejder"), not a yes or the button that takes the assistant's offer."""
    text = str(tracker.latest_message.get("text") or "").strip()
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "request_human" and not text.startswith("/") and read_yes_no(text, tracker) is not True


def asked_about_a_concern(tracker: Tracker) -> bool:
    """A person asked for in the message that tells a concern for a child: NLU's
    reader put the request first and the concern it read next
    (bot/rasa_server/explicit_requests.py)."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    text = str(tracker.latest_message.get("text") or "")
    return asked_in_own_words(tracker) and (
        (
            len(ranking) > 1
            and ranking[1].get("name") == "report_concern"
            and float(ranking[1].get("confidence") or 0) >= CONCERN_READ
            and bool(_A_CHILD.search(text))
            and (only_named_topic(text) is None or bool(WORRY.search(text)))
        )
        or concern_told_just_before(tracker)
    )


def concern_told_just_before(tracker: Tracker) -> bool:
    """The message before told a concern for a child, also one the danger layer
    checked in on first ("de to små drenge ovenpå er alene hjemme hver aften" read
    as a check-in, then "kan der komme nogen og kigge på det?")."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    if len(users) < 2:
        return False
    ranking = (users[-2].get("parse_data") or {}).get("intent_ranking") or []
    read: dict[str, Any] = next((r for r in ranking if r.get("name") not in NOT_A_READING), {})
    told = str(users[-2].get("text") or "")
    return (
        read.get("name") == "report_concern"
        and float(read.get("confidence") or 0) >= CONCERN_READ
        and bool(_A_CHILD.search(told))
    )


def read_contact_method(text: str) -> str | None:
    if find_danish_phone(text):
        return "phone"
    if find_email(text):
        return "email"
    lowered = text.lower()
    return next((method for method, words in _METHODS if words.search(lowered)), None)


def case_team(session: Session, tracker: Tracker) -> str:
    """Whose queue the case goes to (bot/handover.py), the form in progress included."""
    form = (tracker.active_loop or {}).get("name") or tracker.get_slot("paused_form")
    return team_for(session, tracker.sender_id, form)


def open_case(session: Session, tracker: Tracker, reason: str, priority: str, kind: str | None = None) -> None:
    """Queue the conversation for staff. `kind` (of danger) heads the summary,
    so staff see it before reading."""
    summary = conversation_summary(tracker)
    if kind:
        summary = f"Fare: {kind}\n{summary}"
    channel = tracker.get_latest_input_channel() or "unknown"
    team = case_team(session, tracker)
    if priority == CRITICAL:
        open_critical(
            session,
            conversation_id=tracker.sender_id,
            channel=channel,
            reason=reason,
            summary=summary,
            team=team,
            now=now(),
        )
        return
    open_escalation(
        session,
        conversation_id=tracker.sender_id,
        channel=channel,
        reason=reason,
        priority=priority,
        summary=summary,
        team=team,
    )


def handoff_events(stored: bool, paused_form: str | None) -> list[EventType]:
    """Leave any form (its answers stay in their slots) and start the contact wish afresh."""
    return [
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("contact_method", None),
        SlotSet("handoff_contact", None),
        SlotSet("handoff_failed", not stored),
        SlotSet("paused_form", paused_form),
    ]


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        active_form = (tracker.active_loop or {}).get("name")
        paused = active_form if active_form in PAUSABLE_FORMS else None
        reason = REASON_BY_PREVIOUS_RESPONSE.get(previous_response(tracker) or "", "request_human")
        if reason == "misunderstood" and asked_in_own_words(tracker):
            reason = "request_human"  # the offer was not taken: the citizen asked for a person themselves
        if reason == "request_human" and asked_about_a_concern(tracker):
            reason = "concern"
        with Transaction(dispatcher, self.name()) as tx:
            open_case(tx.session, tracker, reason, PRIORITY_BY_REASON.get(reason, "normal"))
            tx.reply("utter_handoff_started_form_paused" if paused else "utter_handoff_started")
        # "Kan en medarbejder ringe til mig?" has said how: the number is asked next, with
        # the consent text (never taken unasked from the request itself).
        called = not tx.failed and asks_to_be_called(str(tracker.latest_message.get("text") or ""))
        return handoff_events(not tx.failed, paused) + ([SlotSet("contact_method", "phone")] if called else [])


class ValidateContactForm(Interruptible, FormValidationAction):
    def name(self) -> str:
        return "validate_contact_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("handoff_failed"):
            return []  # nothing was queued, so there is no contact wish to store
        if tracker.get_slot("contact_method") in ("phone", "email"):
            return ["contact_method", "handoff_contact"]
        return ["contact_method"]

    def holds_an_answer(self, tracker: Tracker, intent: str) -> bool:
        # "ring til mig" is read as a request for a person, "her i chatten" as
        # help, "send en mail" as a question about contact details: a way to be
        # contacted named is the answer, unless it is in a question about a
        # service ("hvad koster tandplejen her?"). A person asked for again is
        # honoured, never the question asked again (person_asked_again).
        text = str(tracker.latest_message.get("text") or "")
        if intent == "faq" and phrased_as_a_question(text):
            return False
        if intent == "request_human":
            return bool(person_asked_again(tracker))
        if tracker.get_slot("requested_slot") == "handoff_contact":
            return bool(find_danish_phone(text) or find_email(text))
        return read_contact_method(text) is not None

    async def extract_contact_method(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "contact_method":
            return {}
        return person_asked_again(tracker) or {"contact_method": tracker.latest_message.get("text") or ""}

    async def extract_handoff_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "handoff_contact":
            return {}
        return person_asked_again(tracker) or {"handoff_contact": tracker.latest_message.get("text") or ""}

    def validate_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        method = text if text in ("chat", "phone", "email") else read_contact_method(text)
        if method is None and messages_while_asked(tracker, "contact_form", "contact_method") >= 2:
            # Asked once again already: the case is queued, and staff answer here in the chat
            # (a young person gave their code, then what it was about; no third time).
            dispatcher.utter_message(response="utter_contact_method_chat_then")
            return {"contact_method": "chat"}
        if method is None:
            dispatcher.utter_message(response="utter_invalid_contact_method")
            return {"contact_method": None}
        slots: dict[str, Any] = {"contact_method": method}
        # "ring på 12345678" gives the number in the same message.
        detail = find_danish_phone(text) if method == "phone" else find_email(text) if method == "email" else None
        if detail:
            slots["handoff_contact"] = detail
        return slots

    def validate_handoff_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        method = tracker.get_slot("contact_method")
        detail = find_danish_phone(text) if method == "phone" else find_email(text)
        if detail is None:
            dispatcher.utter_message(
                response="utter_invalid_handoff_phone" if method == "phone" else "utter_invalid_handoff_email"
            )
        return {"handoff_contact": detail}


def person_asked_again(tracker: Tracker) -> dict[str, Any]:
    """A person asked for while the contact wish is asked ("jeg vil bare tale
    med nogen", the offer's button) is the answer: the case is queued already,
    and a person writes here in the chat, unless the message names another
    way ("ring mig op" is the telephone, whose number is asked next). Asked
    for the number, a person asked for without one is the chat too; only the
    same way named again without its number ("ring til mig" while asked for
    the number) gives nothing, and the form asks for the number once more.
    Empty for any other message."""
    if (tracker.latest_message.get("intent") or {}).get("name") != "request_human":
        return {}
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/"):
        text = ""  # the widget's button "Ja, giv mig en medarbejder"
    method = read_contact_method(text) or "chat"
    if tracker.get_slot("requested_slot") == "contact_method":
        return {"contact_method": text if method != "chat" else "chat"}
    chosen = tracker.get_slot("contact_method")
    if find_danish_phone(text) or find_email(text):
        return {"handoff_contact": text}
    return {} if method == chosen else {"contact_method": method}


def describe_wish(method: str, detail: str | None) -> str:
    if method == "phone" and detail:
        return f"telefon {format_phone(detail)}"
    if method == "email" and detail:
        return f"e-mail {detail}"
    return "chat"


class ActionSubmitContact(Action):
    """Store how the citizen wants to be contacted and tell them honestly when."""

    def name(self) -> str:
        return "action_submit_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        method = tracker.get_slot("contact_method") or "chat"
        detail = tracker.get_slot("handoff_contact")
        paused = tracker.get_slot("paused_form")
        failed = tracker.get_slot("handoff_failed")
        reset = [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        if failed:
            return reset  # the citizen was given the phone number already
        with Transaction(dispatcher, self.name()) as tx:
            case = set_contact_wish(tx.session, tracker.sender_id, describe_wish(method, detail))
            if case is not None and method in ("phone", "email") and detail:
                record_consent(
                    tx.session,
                    conversation_id=tracker.sender_id,
                    purpose=CONTACT,
                    given=True,
                    text_shown=str(
                        tracker.get_slot("privacy_contact_consent") or current_municipality().privacy.contact_consent
                    ),
                    subject=f"escalation:{case.id}",
                )
            tx.reply_all([when_staff_answer(method, detail)])
            if paused in RESUME_RESPONSES:
                tx.reply(RESUME_RESPONSES[paused])
        return reset


def when_staff_answer(method: str, detail: str | None) -> tuple[str, dict[str, Any]]:
    """The honest answer to when staff answer (now, or when the chat opens), and how."""
    hours = current_municipality().chat_hours
    moment = now()
    shown = format_phone(detail) if method == "phone" and detail else detail or ""
    if hours.is_open(moment):
        closes = hours.closes_today(moment)
        return WHEN_RESPONSES[method, True], {"closes": clock(closes) if closes else "", "contact": shown}
    opening = hours.next_opening(moment)
    when = describe_opening(opening, moment) if opening else "på næste hverdag"
    return WHEN_RESPONSES[method, False], {"next_opening": when, "contact": shown, **contact_details()}
