"""What the young people's forms share: identity before anything, reading
the message that started the form, the final yes where there is one (or a
correction), and clearing the slots afterwards.

Issue 17: a request or a record (a held meeting logged, a meeting asked for,
an education change) is saved as soon as its form has what it needs, and the
receipt says what was saved and how to take it back (actions/youth_undo.py);
only a change to a meeting both sides agreed on (moved, cancelled) asks its
yes first. After a database error the answers are kept and the yes is asked
(`youth_retry`), so one more yes saves."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import Interruptible, message_id_of, phrased_as_a_question, read_yes_no
from actions.satisfaction import satisfaction_replies
from actions.transaction import DATABASE_ERROR, Reply, Transaction
from actions.youth_identity import identified_profile, now, young_person
from bot.dates import find_date, find_time
from bot.db.youth import YouthError, add_receipt, find_receipt
from bot.db.youth_models import YouthProfile
from bot.shared.clock import DANISH_TIME
from bot.shared.corrections import after_correction
from bot.shared.municipality import contact_details
from bot.shared.pairing_code import find_code

YOUTH_SLOTS = (
    "meeting_date",
    "meeting_rating",
    "meeting_note",
    "meeting_window",
    "meeting_choice",
    "change_reason",
    "education_kind",
    "education_programme",
    "education_institution",
    "youth_confirm",
    "youth_outcome",
    "youth_retry",
)
# What the conversation's young person saved last (kind, row id, the turn it was
# saved in; actions/youth_undo.py): kept over the slots' reset after a save.
LAST_SAVE = "youth_last_save"
HELD, REQUEST, EDUCATION = "held", "request", "education"  # what it was
NOTHING_SAVED: Reply = ("utter_youth_nothing_saved", {})
_NONE = re.compile(r"^\s*(nej|nope|nah|ingen|intet|nix|no|ikke noget|næh|naeh|ved ikke|vil ikke|-)\b", re.I)
_ONLY_A_YES = re.compile(
    r"^\W*(?:ja|jo|jep|jeps|yes|yep|ok|okay|oki|fint|korrekt|rigtigt|rigtig|👍|👌)"
    r"(?:\W+(?:det|er|rigtigt|rigtig|korrekt|fint|tak|passer|thats|that's|right|correct|ja))*\W*$",
    re.IGNORECASE,
)


def reset_youth_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in YOUTH_SLOTS]


def local_today() -> date:
    return now().astimezone(DANISH_TIME).date()


def held_time(day: date, moment: time | None) -> time | None:
    """A held meeting's time: never later than now. An hour from 1 to 6 is read
    as the afternoon (bot/dates), so "kl 1" told at 02.00 the same day is 01.00."""
    current = now().astimezone(DANISH_TIME)
    if moment is not None and day == current.date() and moment > current.time() and moment.hour >= 12:
        return moment.replace(hour=moment.hour - 12)
    return moment


def at_local(day: date, moment: time | None) -> datetime:
    return datetime.combine(day, moment or time(12, 0), tzinfo=DANISH_TIME)


# The question's own verb as the answer ("aflys det", "ja flyt den", "cancel it"):
# a short message, no "ikke" (a correction with a day or time is read before this).
_FORMS_VERB = {
    "cancel_meeting_form": re.compile(
        r"^\W*(?:ja\W+|yes\W+)?(?:aflys\w*|drop\w*|afbestil\w*|annuller\w*|cancel\w*|slet\w*)"
        r"(?:\s+(?:det|den|mødet|moedet|it|bare|please|pls|tak))*\W*$",
        re.IGNORECASE,
    ),
    "reschedule_meeting_form": re.compile(
        r"^\W*(?:ja\W+|yes\W+)?(?:flyt\w*|ryk\w*|move\w*|resched\w*)"
        r"(?:\s+(?:det|den|mødet|moedet|it|bare|please|pls|tak))*\W*$",
        re.IGNORECASE,
    ),
}


# Said before the verb: "just cancel it", "bare aflys den".
_FILLERS = re.compile(r"^\W*(?:(?:ja|yes|yeah|jo|ok|okay|just|bare|please|pls|så|saa)\W+)+", re.IGNORECASE)
# What may follow the verb in a clause of its own ("…, ill book a new one later"), never a no.
_NO_IN_IT = re.compile(r"\b(?:ikke|ik|ikk|not|don['’]?t|dont|nej|no)\b", re.IGNORECASE)


def says_the_forms_verb(text: str, form: str | None) -> bool:
    pattern = _FORMS_VERB.get(form or "")
    if pattern is None:
        return False
    first, _, rest = text.strip().partition(next((c for c in text if c in ",.;!"), "\0"))
    first = _FILLERS.sub("", first)
    return bool(pattern.match(first)) and not _NO_IN_IT.search(rest)


def stop_says_yes(tracker: Tracker) -> bool:
    """A message read as a stop that is the yes to the cancel or move question in the
    question's own verb ("just cancel it, ill book a new one later", NLU: stop)."""
    form = (tracker.active_loop or {}).get("name")
    text = str(tracker.latest_message.get("text") or "")
    return tracker.get_slot("requested_slot") == "youth_confirm" and says_the_forms_verb(text, form)


def says_nothing(text: str) -> bool:
    return bool(_NONE.match(text))


# "nej det var i torsdags", "det var kl 15", "vent, torsdag": when, corrected.
_CORRECTING = re.compile(
    r"^\W*(?:nej|nope|næh|naeh|ikke|forkert|rettelse|ups|hov|vent|sorry|undskyld|øh|faktisk|"
    r"det\s+var|det\s+er|var\s+det|det\s+skulle)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def corrects_when(text: str, names_a_time: bool) -> bool:
    """Whether a message that names a day or a time of day is a correction of
    when: it says so ("nej, det var i torsdags", "kl 15.30.. no wait 16 is
    better") or says little else ("d. 5/1", "torsdag kl 15"); "vi talte om at
    jeg starter på fredag" is not."""
    return names_a_time and (
        bool(_CORRECTING.match(text)) or len(_WORD.findall(text)) <= 5 or after_correction(text) is not text
    )


def user_turns(tracker: Tracker) -> int:
    """How many messages of the young person's the conversation holds (a save's turn, for undo);
    a message the fallback forgot ("rewind": "Det forstod jeg ikke helt") does not count."""
    count = 0
    for event in tracker.events:
        if event.get("event") == "user":
            count += 1
        elif event.get("event") == "rewind":
            count = max(count - 1, 0)
    return count


def form_messages(tracker: Tracker, form: str) -> list[dict[str, Any]]:
    """The young person's messages in this form, latest first, back to the one that started it."""
    events = tracker.events
    started = max(
        (i for i, e in enumerate(events) if e.get("event") == "active_loop" and e.get("name") == form),
        default=len(events),
    )
    first = max((i for i in range(started) if events[i].get("event") == "user"), default=0)
    return [e for e in reversed(events[first:]) if e.get("event") == "user"]


class YouthFormValidation(Interruptible):
    """Mixed into the youth forms' FormValidationAction (a plain mixin, so the
    action server does not register it as an action): no questions at all
    for someone not identified (the submit action then asks them to identify,
    and nothing else)."""

    form_slots: tuple[str, ...] = ()
    # A change to a meeting both sides agreed on asks its yes first; a request
    # or a record is saved at once (after a database error: asked, see above).
    confirm_first = False

    def stop_is_a_yes(self, tracker: Tracker) -> bool:
        return stop_says_yes(tracker)

    def name(self) -> str:
        raise NotImplementedError

    def final_yes(self, tracker: Tracker) -> list[str]:
        return ["youth_confirm"] if self.confirm_first or tracker.get_slot("youth_retry") else []

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        # The database first: when it does not answer, the young person is told
        # so, and the form asks the same question again with the answers kept
        # (an empty validation would make Rasa reject the form's turn).
        with Transaction(dispatcher, self.name(), error_reply="utter_youth_database_error") as tx:
            identified_profile(tx.session, tracker)
        if tx.failed:
            requested = tracker.get_slot("requested_slot")
            return [SlotSet(requested, None)] if requested else []
        events: list[EventType] = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        # rasa-sdk asks for the required slots several times a turn, and each time
        # a code in the message is tried: "Den kode kender jeg ikke" is said once.
        said: list[dict[str, Any]] = []
        for message in dispatcher.messages:
            if message not in said:
                said.append(message)
        dispatcher.messages[:] = said
        return events

    def identified(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        # No reply on a database error: the submit action that follows says it.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            profile, problem = identified_profile(tx.session, tracker)
            if profile is None and problem is None and find_code(self.text(tracker)):
                # "K7P-4QX vil gerne booke tid d. 26. januar kl 9": the code first, then the request
                profile = young_person(tx, tracker)
            known = profile is not None
        return not tx.failed and known

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("youth_outcome") or not self.identified(dispatcher, tracker):
            return []
        return self.slots_needed(tracker)

    def slots_needed(self, tracker: Tracker) -> list[str]:
        return list(self.form_slots) + self.final_yes(tracker)

    def holds_an_answer(self, tracker: Tracker, intent: str) -> bool:
        # Answers name services and are read as questions about them
        # ("tandlæge" as the reason, "min mentor hjalp mig med at søge job" as
        # the note): only a message phrased as a question is one.
        return intent == "faq" and not phrased_as_a_question(self.text(tracker))

    @staticmethod
    def text(tracker: Tracker) -> str:
        return str(tracker.latest_message.get("text") or "")

    @staticmethod
    def asked(tracker: Tracker, slot: str) -> bool:
        return bool(tracker.get_slot("requested_slot") == slot)

    def free_text(self, tracker: Tracker, slot: str, limit: int, nothing: str) -> dict[str, Any]:
        """The answer to `slot` as written (a note, a reason, a school); "nej"/"ved ikke" gives `nothing`."""
        if not self.asked(tracker, slot):
            return {}
        text = self.text(tracker).strip()
        # "ja det er rigtigt" to a question asked for free text answers what the writer expected asked, no answer
        return {slot: nothing if says_nothing(text) or _ONLY_A_YES.match(text) or not text else text[:limit]}

    @staticmethod
    def starting(tracker: Tracker) -> bool:
        """The message that started the form (nothing asked yet)."""
        return tracker.get_slot("requested_slot") is None

    async def extract_youth_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not self.asked(tracker, "youth_confirm"):
            return {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return {"youth_confirm": {"affirm": True, "deny": False}.get(str(intent), self.text(tracker))}

    def corrects(self, text: str) -> bool:
        """Whether an answer to the summary that is no yes changes what it says (a day, a time)."""
        return find_date(text, local_today(), "past") is not None or find_time(text) is not None

    def validate_youth_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_yes_no(value, tracker)
        text = self.text(tracker)
        if answer is not True and self.corrects(text):
            # "nej, det var i tirsdags", "i fredags", "kl 12 passer": a correction, asked again with it
            return {"youth_confirm": None}
        if answer is None and says_the_forms_verb(text, (tracker.active_loop or {}).get("name")):
            answer = True  # "aflys det" to "Skal jeg aflyse mødet …?": the yes in the question's own word
        if answer is None:
            dispatcher.utter_message(response="utter_ask_yes_or_no")
        return {"youth_confirm": answer}


class ForIdentified:
    """An action for an identified young person (a mixin; the actions that use
    it are what the action server registers): the transaction template with
    identity first, and the replies only once it is committed."""

    def name(self) -> str:
        raise NotImplementedError

    def answer(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        raise NotImplementedError

    def after(self) -> list[EventType]:
        return []

    # On a database error: the reply, and the events (rolled back, nothing saved).
    database_error_reply = DATABASE_ERROR

    def after_database_error(self) -> list[EventType]:
        return self.after()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        try:
            with Transaction(dispatcher, self.name(), error_reply=self.database_error_reply) as tx:
                profile = young_person(tx, tracker)
                if profile is not None:
                    tx.reply_all(self.answer(tx.session, profile, tracker))
        except YouthError:  # rolled back: the meeting changed meanwhile (staff cancelled it)
            dispatcher.utter_message(response=DATABASE_ERROR, **contact_details())
            return self.after()
        return self.after_database_error() if tx.failed else self.after()


class YouthSubmit(ForIdentified):
    """The last step of a young person's form: the final yes where its form
    asks one, then `save`. A request or a record saved at once is remembered
    (`LAST_SAVE`, from `record`) so that it can be taken back or corrected."""

    confirm_first = False  # as the form's (YouthFormValidation.confirm_first)

    def save(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        raise NotImplementedError

    def record(self, session: Session, profile: YouthProfile, tracker: Tracker) -> tuple[list[Reply], dict[str, Any]]:
        """A save that can be taken back: the replies and what to remember of it."""
        return self.save(session, profile, tracker), {}

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        remembered: dict[str, Any] = {}
        try:
            with Transaction(dispatcher, self.name(), error_reply=self.database_error_reply) as tx:
                profile = young_person(tx, tracker)
                if profile is not None:
                    replies, remembered = self.once_a_message(tx.session, profile, tracker)
                    tx.reply_all(replies)
        except YouthError:  # rolled back: the meeting changed meanwhile (staff cancelled it)
            dispatcher.utter_message(response=DATABASE_ERROR, **contact_details())
            return self.after()
        if tx.failed:
            return self.after_database_error()
        saved = [SlotSet(LAST_SAVE, remembered | {"turn": user_turns(tracker)})] if remembered else []
        return self.after() + saved

    def once_a_message(
        self, session: Session, profile: YouthProfile, tracker: Tracker
    ) -> tuple[list[Reply], dict[str, Any]]:
        """`answer_and_record`, once for each message: the same message sent again
        (its Rasa server died after this was committed, before it stored the
        turn) gets the first answer from its receipt, and nothing is saved twice."""
        message_id = message_id_of(tracker)
        if message_id is None:
            return self.answer_and_record(session, profile, tracker)
        receipt = find_receipt(session, tracker.sender_id, message_id, self.name())
        if receipt is not None:
            return receipt
        replies, remembered = self.answer_and_record(session, profile, tracker)
        if replies and replies != [NOTHING_SAVED]:
            add_receipt(session, tracker.sender_id, message_id, self.name(), (replies, remembered))
        return replies, remembered

    def answer_and_record(
        self, session: Session, profile: YouthProfile, tracker: Tracker
    ) -> tuple[list[Reply], dict[str, Any]]:
        if tracker.get_slot("youth_outcome"):
            return [], {}  # the form has told them why it stopped (e.g. no meeting to change)
        asked = self.confirm_first or tracker.get_slot("youth_retry")
        if asked and tracker.get_slot("youth_confirm") is not True:
            return [NOTHING_SAVED], {}
        replies, remembered = self.record(session, profile, tracker)
        if replies == [NOTHING_SAVED]:
            return replies, {}
        return replies + satisfaction_replies(session, tracker, "youth_change", team="youth", once=True), remembered

    def answer(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        return self.answer_and_record(session, profile, tracker)[0]

    def after(self) -> list[EventType]:
        return reset_youth_slots()

    form = ""  # the form whose last step this action is
    database_error_reply = "utter_youth_database_error"

    def after_database_error(self) -> list[EventType]:
        """The answers are kept: the form asks for the yes (again), and one more yes tries again."""
        retry = [] if self.confirm_first else [SlotSet("youth_retry", True)]
        return [SlotSet("youth_confirm", None), *retry, ActiveLoop(self.form), FollowupAction(self.form)]
