"""Small helpers every feature's actions share."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session, sessionmaker

from bot.db.session import default_sessionmaker
from bot.shared.clock import danish_today

# A thumbs up is how many answer a yes on a phone; a thumbs down a no.
_YES = re.compile(
    r"^\s*(?:(?:ja|jo|jep|jeps|yes|yep|ok|okay|gerne|selvfølgelig|rigtigt|korrekt)\b|(?:👍|👌|✅|✔)[\U0001F3FB-\U0001F3FF\ufe0f]*\s*$)",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:(?:nej|nope|no|nah|næh|naeh|ikke|aldrig)\b|(?:👎|❌)[\U0001F3FB-\U0001F3FF\ufe0f]*\s*$)", re.IGNORECASE
)


_override: sessionmaker[Session] | None = None


def sessions() -> sessionmaker[Session]:
    """The one sessionmaker for the configured DATABASE_URL."""
    return _override or default_sessionmaker()


def use_sessionmaker(maker: sessionmaker[Session] | None) -> None:
    """Point the actions at another database (the tests' own); None resets."""
    global _override
    _override = maker


def today() -> date:
    """Today in Denmark: the date a parent means by "i dag" (bot/shared/clock.py)."""
    return danish_today()


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


# A message with one of these intents is never an answer to a form's question:
# the form rejects it and the rule for it runs (danger first). The domain's
# from_text mappings exclude the same intents, and QUESTION_INTENTS, with
# not_intent (tests/test_domain.py).
INTERRUPTING_INTENTS = frozenset({"express_distress", "possible_distress", "stop", "request_human"})
NEVER_AN_ANSWER = frozenset({"express_distress", "possible_distress", "stop"})  # unless a button of the question
DANGER_INTENTS = frozenset({"express_distress", "possible_distress"})  # whatever else the message holds
# Follow-ups to a service answer ("er det gratis?", its buttons "Læs mere", ...).
FOLLOW_UP_INTENTS = frozenset(
    {"ask_price", "ask_location", "ask_opening_hours", "ask_audience", "ask_contact_details", "ask_read_more"}
)
# Questions every form answers in the middle and then asks its own question
# again, its answers kept (a rule per form in data/rules/). Not an answer to
# the form's question either, unless the form finds its answer in the message
# all the same (Interruptible.holds_an_answer).
QUESTION_INTENTS = frozenset({"faq", "ask_course_info", "help", "bot_challenge"}) | FOLLOW_UP_INTENTS
_QUESTION = re.compile(r"\?|^\W*(hvad|hva|hvem|hvor|hvordan|hvornår|hvorfor|hvilke|hvilken|hvilket)\b", re.IGNORECASE)


def message_id_of(tracker: Tracker) -> str | None:
    """The id of the message being answered: a message sent again carries the
    same (the widget's and the REST client's own, bot/rasa_server/resend.py; a
    text's is the gateway's number), so a save it asked for is done once."""
    given = (tracker.latest_message or {}).get("message_id")
    return str(given)[:64] if isinstance(given, (str, int)) and not isinstance(given, bool) else None


def phrased_as_a_question(text: str) -> bool:
    """A question mark, or a question word first ("hvad er efterværn")."""
    return bool(_QUESTION.search(text))


class Interruptible:
    """Mixed in before FormValidationAction (a plain mixin, so the action
    server does not register it) by every form: none of its extract_<slot>
    methods, which read free text, sees a danger message, a stop, a request
    for a person or a question, so the form rejects the message and the
    form's rule for it runs."""

    def holds_an_answer(self, tracker: Tracker, intent: str) -> bool:
        """Whether a message read as a question or a request for a person
        (`intent`) holds this form's answer all the same, and is read as one:
        a pairing code, "ring til mig". Danger and stop are never answers."""
        return False

    def stop_is_a_yes(self, tracker: Tracker) -> bool:
        """Whether a message read as a stop is the yes to this form's own
        question about stopping something ("yes cancel it" to "Vil du afmelde
        tilmeldingen?"). Never, unless the form asks such a question."""
        return False

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker) or ""
        pressed = pressed_a_button(tracker) or (intent == "stop" and self.stop_is_a_yes(tracker))
        if intent in DANGER_INTENTS or (intent in NEVER_AN_ANSWER and not pressed):
            return []
        if (
            intent in INTERRUPTING_INTENTS | QUESTION_INTENTS
            and not pressed
            and not self.holds_an_answer(tracker, intent)
        ):
            return []
        events: list[EventType] = await super().get_extraction_events(  # type: ignore[misc]
            dispatcher, tracker, domain
        )
        return events


def pressed_a_button(tracker: Tracker) -> bool:
    """Whether the latest message is the payload of a button the assistant's
    last message offered: an answer to its question, whatever NLU made of the
    text (the education form's button "Stoppet" sends "stoppet", which NLU
    reads as `stop`, and would have ended the form). Only a plain-text
    payload: a "/intent" payload ("Læs mere" after a service answer) is
    an intent already, and the form's rule for it runs."""
    text = (tracker.latest_message.get("text") or "").strip().lower()
    if not text or text.startswith("/"):
        return False
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            return any(str(b.get("payload", "")).strip().lower() == text for b in buttons)
    return False


def starts_with_a_yes(text: str) -> bool:
    """ "ja, afmeld den", "yes cancel it", "👍": a yes first, whatever follows."""
    return bool(_YES.match(text))


def read_yes_no(value: Any, tracker: Tracker) -> bool | None:
    """Interpret a yes/no slot: True/False from affirm/deny, else from the text."""
    if isinstance(value, bool):
        return value
    intent = latest_intent(tracker)
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    text = str(value or "")
    if _YES.match(text):
        return True
    if _NO.match(text):
        return False
    return None


def messages_while_asked(tracker: Tracker, form: str, slot: str) -> int:
    """How many messages the user has sent while `form` asked for `slot`, since the
    form last started (a form sets requested_slot more than once per question, so the
    messages are counted, not those events)."""
    count, requested = 0, None
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == form:
            count, requested = 0, None
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif event.get("event") == "user" and requested == slot:
            count += 1
    return count
