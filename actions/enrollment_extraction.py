"""The enrollment form takes everything a message gives.

On every user message while the form is active, whatever intent NLU gave
(except the interruptions: danger, stop, a person), `bot/forms` reads the
text and the form offers each value it found as a slot candidate; the
form's validate_<slot> methods then check them as if they had been asked.
A form that validated something this way "takes" the turn: Rasa 3.6 runs
the active form before any rule, and only when the form rejects (nothing
was filled) do the rules for questions inside the form answer. So "min
kæreste Jonas kommer også med", which NLU may call ask_audience, fills the
partner's answers instead of getting the course's audience.

A slot that is already filled is changed only by a correction ("nej, det er
4. april", "ret e-mailen til ...", "min kæreste hedder Jonas ikke Jonah").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import call_potential_coroutine

from actions.common import INTERRUPTING_INTENTS, latest_intent, today
from bot.dates import birth_date_from_age, due_date_from_pregnancy_week
from bot.dates.answers import MONTH_ONLY_DAY
from bot.dates.words import normalise
from bot.forms.enrollment_extract import EnrollmentReading, names_a_month_alone, read_enrollment

# The questions, in the order asked. The team is chosen by the form (the
# fitting team that starts first) and asked only when the parent wants
# another; the first child and the consent are no questions of their own:
# the summary's one yes gives both (actions/enrollment_summary.py).
FORM_SLOTS = [
    "parent_name",
    "child_born",
    "child_date",
    "partner_joins",
    "partner_name",
    "contact",
    "team_code",
    "enrollment_confirmed",
]
SUMMARY = "enrollment_confirmed"

# "andet hold", "kan vi skifte hold?", "holdet passer ikke" at the summary:
# the team question with every team that fits.
_OTHER_TEAM = re.compile(
    r"\b(?:andet|anden|andre|nyt)\s+hold\w*|\bskift\w*\s+(?:til\s+)?(?:et\s+)?(?:andet\s+)?hold|"
    r"\bvælge?\s+(?:et\s+)?(?:andet\s+)?hold\b|\bhold(?:et)?\s+passer\s+(?:os\s+)?ikke|"
    r"\b(?:other|another|different)\s+(?:team|group|class)"
)


@dataclass
class Turn:
    """What this message offers the form, and which filled answers it corrects."""

    candidates: dict[str, Any] = field(default_factory=dict)
    corrected: set[str] = field(default_factory=set)
    # At the summary: the parent wants another team than the one chosen.
    other_team: bool = False


def read_turn(tracker: Tracker) -> Turn:
    """The slot candidates one message gives. Pure over the tracker: the
    extraction and the validation each read it, and get the same."""
    text = str(tracker.latest_message.get("text") or "")
    if latest_intent(tracker) in INTERRUPTING_INTENTS or not text.strip() or text.startswith("/"):
        return Turn()  # a button's payload says what it says; danger and stop are not answers
    asked = tracker.get_slot(REQUESTED_SLOT)
    known_born = None if asked == "child_born" else tracker.get_slot("child_born")
    reading = read_enrollment(text, today(), asked=asked, born=known_born)
    turn = _candidates(reading, tracker, asked)
    turn.other_team = asked == SUMMARY and bool(_OTHER_TEAM.search(normalise(text)))
    return turn


def slots_before_message(tracker: Tracker) -> dict[str, Any]:
    """The slots as they were when the latest message came: the extraction
    adds this message's candidates to the tracker before the validation reads
    the message again, and both must read it the same way."""
    values: dict[str, Any] = {}
    at_message: dict[str, Any] = {}
    for event in tracker.events:
        kind = event.get("event")
        if kind == "slot":
            values[event["name"]] = event.get("value")
        elif kind in ("reset_slots", "restart", "session_started"):
            values = {}
        elif kind == "user":
            at_message = dict(values)
    return at_message


def _candidates(reading: EnrollmentReading, tracker: Tracker, asked: str | None) -> Turn:
    turn = Turn()
    earlier = slots_before_message(tracker)
    this_message = tracker.slots_to_validate()

    def before(slot: str) -> Any:
        # The question asked was empty before this message (Rasa may have put
        # the raw text in it already).
        if slot == asked:
            return None
        return earlier.get(slot) if slot in this_message else tracker.get_slot(slot)

    def offer(slot: str, value: Any) -> None:
        current = before(slot)
        if current is None or (
            slot == "child_date" and (refines_a_month(tracker, current, value) or estimated(tracker, current, value))
        ):
            turn.candidates[slot] = value
        elif current != value and reading.correction:
            turn.candidates[slot] = value
            turn.corrected.add(slot)

    if reading.parent_name:
        offer("parent_name", reading.parent_name)
    current_name = before("parent_name")
    if reading.surname and isinstance(current_name, str) and current_name.split():
        # "mit efternavn staves Christensen": the first names kept, the surname replaced
        given = current_name.split()[:-1] if len(current_name.split()) > 1 else current_name.split()
        offer("parent_name", " ".join([*given, reading.surname]))
    if reading.child_born is not None:
        offer("child_born", reading.child_born)
        if "child_born" in turn.corrected and reading.child_date is None:
            turn.candidates["child_date"] = None  # born or not changed: the old date means something else
    if reading.child_date is not None:
        offer("child_date", reading.child_date.isoformat())
    if reading.first_child is False:
        # An older child, said anywhere in the form: the course is for first-time parents.
        turn.candidates["first_child"] = False
    if reading.partner_joins is not None:
        offer("partner_joins", reading.partner_joins)
    joins = turn.candidates.get("partner_joins", before("partner_joins"))
    if reading.partner_name and (joins is True or asked == "partner_name"):
        offer("partner_name", reading.partner_name)
    _offer_contact(reading, tracker, asked, turn)
    return turn


def refines_a_month(tracker: Tracker, current: Any, value: Any) -> bool:
    """ "termin d 9 marts" after "vi venter vores første i marts": a month
    alone was read as its middle (bot/forms/enrollment_extract.py), and the
    day given later in that month is the date, no correction needed. A due
    date that is the 15th because the parent wrote the 15th is no estimate."""
    earlier, given = iso_date(current), iso_date(value)
    return bool(
        earlier
        and given
        and earlier.day == MONTH_ONLY_DAY
        and given != earlier
        and (given.year, given.month) == (earlier.year, earlier.month)
        and any(
            names_a_month_alone(normalise(str(event.get("text") or "")))
            for event in tracker.events
            if event.get("event") == "user"
        )
    )


def estimated(tracker: Tracker, current: Any, value: Any) -> bool:
    """ "termin er d 27 april" after "jeg er gravid i uge 24" (or a birth date
    after "han er 3 måneder"): the date worked out from a week or an age was an
    estimate, and the date given later is the date, no correction needed."""
    earlier, given = iso_date(current), iso_date(value)
    if earlier is None or given is None or given == earlier:
        return False
    on = today()
    for event in tracker.events:
        said = normalise(str(event.get("text") or "")) if event.get("event") == "user" else ""
        if said and earlier in (due_date_from_pregnancy_week(said, on), birth_date_from_age(said, on)):
            return True
    return False


def _offer_contact(reading: EnrollmentReading, tracker: Tracker, asked: str | None, turn: Turn) -> None:
    """An e-mail and a phone number are one answer: a new half is added to the
    contact, and a half already given is replaced only by a correction."""
    if not (reading.email or reading.phone):
        return
    earlier = slots_before_message(tracker) if "contact" in tracker.slots_to_validate() else tracker.slots
    filled = asked != "contact" and earlier.get("contact") is not None
    email = earlier.get("contact_email") if filled else None
    phone = earlier.get("contact_phone") if filled else None
    corrects = filled and reading.correction
    new_email = reading.email if reading.email and (email is None or corrects) else email
    new_phone = reading.phone if reading.phone and (phone is None or corrects) else phone
    if filled and (new_email, new_phone) == (email, phone):
        return
    turn.candidates["contact"] = " ".join(part for part in (new_email, new_phone) if part)
    if filled and ((email and new_email != email) or (phone and new_phone != phone)):
        turn.corrected.add("contact")


class TakesEverything:
    """Mixed in before Interruptible and FormValidationAction: extraction
    from the whole message, and validation in the form's order (a date is
    checked before the contact that needs it), without scolding a message
    that answered other questions than the one asked."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = await super().get_extraction_events(  # type: ignore[misc]
            dispatcher, tracker, domain
        )
        return events + [SlotSet(slot, value) for slot, value in read_turn(tracker).candidates.items()]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form_slots = self.domain_slots(domain)  # type: ignore[attr-defined]
        required: list[str] = await self.required_slots(  # type: ignore[attr-defined]
            form_slots, dispatcher, tracker, domain
        )
        turn = read_turn(tracker)
        asked = tracker.get_slot(REQUESTED_SLOT)
        if turn.candidates.get("first_child") is False:
            # Not the first child: the form ends with that outcome, whatever else came.
            return [SlotSet("first_child", False), SlotSet("enrollment_outcome", "not_first_child")]
        candidates = tracker.slots_to_validate()
        results: dict[str, Any] = {}
        if (turn.corrected or turn.other_team) and asked in candidates and asked not in turn.candidates:
            # "nej, det er 4. april" at the summary: the "nej" belongs to the
            # correction, not to the question; the form asks it again.
            candidates.pop(asked)
            results[asked] = None
        if turn.other_team:
            results |= self.another_team(dispatcher, tracker)  # type: ignore[attr-defined]
        order = {slot: index for index, slot in enumerate(FORM_SLOTS)}
        for slot in sorted(candidates, key=lambda s: order.get(s, len(order))):
            if slot not in required:
                continue
            method = getattr(self, f"validate_{slot}", None)
            if method is None or candidates[slot] is None:
                # Nothing to check in an emptied answer (a date whose born-or-not changed).
                results[slot] = candidates[slot]
                continue
            said_before = len(dispatcher.messages)
            output = await call_potential_coroutine(method(candidates[slot], dispatcher, tracker, domain))
            if slot == asked and slot not in turn.candidates and turn.candidates and output.get(slot) is None:
                # The message answered other questions: no "Svar gerne ja
                # eller nej" for the one asked, the form just asks it again.
                del dispatcher.messages[said_before:]
            if slot in turn.corrected and output.get(slot) is None:
                # A correction that does not hold (a due date in the past) keeps
                # the answer given before; the reply has said what was wrong.
                earlier = slots_before_message(tracker)
                output[slot] = earlier.get(slot)
                turn.corrected.discard(slot)
                if slot == "child_date" and "child_born" in turn.corrected:
                    output["child_born"] = earlier.get("child_born")  # born or not goes with its date
                    turn.corrected.discard("child_born")
            results.update(output)
            tracker.slots.update(output)
        if turn.corrected:
            dispatcher.utter_message(response="utter_enrollment_corrected")
        elif (
            asked
            and not dispatcher.messages  # a value that did not hold has been explained already
            and results.get(asked) is None
            and any(results.get(slot) is not None for slot in turn.candidates)
        ):
            # Other answers than the one asked: say they were taken before the
            # form asks its question again (or, the second time, moves on).
            dispatcher.utter_message(response="utter_enrollment_noted")
        return [SlotSet(slot, value) for slot, value in results.items()]


def iso_date(value: Any) -> date | None:
    """A date the extraction already read ("2027-04-03"); None for what a parent typed."""
    try:
        return date.fromisoformat(str(value)) if len(str(value)) == 10 else None
    except ValueError:
        return None
