"""The Familie med Hjerte enrollment form: validating each answer and asking for
the team and the final confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import Interruptible, read_yes_no, today
from actions.enrollment_extraction import FORM_SLOTS, TakesEverything, iso_date
from actions.teams import button_title, choose_team, describe_team, offered_teams
from actions.transaction import Transaction
from bot.dates import (
    birth_date_from_age,
    due_date_from_pregnancy_week,
    format_danish_date,
    parse_danish_date,
)
from bot.db.models import CourseTeam
from bot.eligibility import DateProblem, check_child_date, team_window
from bot.shared.municipality import current_municipality
from bot.validation import clean_name, format_phone, parse_contact

_DATE_PROBLEM_RESPONSES = {
    DateProblem.DUE_IN_PAST: "utter_due_date_in_past",
    DateProblem.DUE_TOO_FAR: "utter_due_date_too_far",
    DateProblem.BIRTH_IN_FUTURE: "utter_birth_date_in_future",
}
_EXPECTING_WORDS = ("termin", "gravid", "venter", "ikke født", "ikke foedt")


# Questions nothing else depends on (the contact is where the teams are
# checked, the date and born-or-not decide the teams).
_DEFERRABLE = ("parent_name", "first_child", "partner_joins", "partner_name")


def times_asked(tracker: Tracker, slot: str) -> int:
    """How many messages the parent has sent while the form asked for this
    slot, since the form started (the form sets requested_slot more than once
    per question, so the messages are counted, not those events)."""
    count, requested = 0, None
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == "enrollment_form":
            count, requested = 0, None
        elif event.get("event") == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif event.get("event") == "user" and requested == slot:
            count += 1
    return count


def parse_child_date(text: str, born: bool, on: date) -> date | None:
    if born:
        return birth_date_from_age(text, on) or parse_danish_date(text, on, "past")
    return due_date_from_pregnancy_week(text, on) or parse_danish_date(text, on, "future")


def teams_for(session: Session, child_date: date) -> Sequence[CourseTeam]:
    """The teams offered to a family with this due or birth date today."""
    return offered_teams(session, child_date, today(), current_municipality().course)


__all__ = ["FORM_SLOTS", "ActionAskEnrollmentConfirmed", "ActionAskTeamCode", "ValidateEnrollmentForm"]


class ValidateEnrollmentForm(TakesEverything, Interruptible, FormValidationAction):
    def name(self) -> str:
        return "validate_enrollment_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("enrollment_outcome"):
            return []  # ineligible, declined or no teams: the form ends here
        slots = list(domain_slots)
        if tracker.get_slot("partner_joins") is False:
            slots.remove("partner_name")
        # A question asked twice while the parent gave other details is not
        # asked a third time in a row: it waits until just before the team.
        deferred = [
            s for s in slots if s in _DEFERRABLE and tracker.get_slot(s) is None and times_asked(tracker, s) >= 2
        ]
        if deferred:
            rest = [s for s in slots if s not in deferred]
            at = rest.index("team_code")
            slots = rest[:at] + deferred + rest[at:]
        return slots

    def validate_parent_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = clean_name(str(value))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_parent_name")
        return {"parent_name": name}

    def validate_child_born(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_yes_no(value, tracker)
        text = str(value).lower()
        if answer is None and any(word in text for word in _EXPECTING_WORDS):
            answer = False
        elif answer is None and ("født" in text or "foedt" in text):
            answer = True
        if answer is None:
            dispatcher.utter_message(response="utter_ask_yes_or_no")
            return {"child_born": None}
        slots: dict[str, Any] = {"child_born": answer}
        # "vi har termin 12. maj" answers the next question too.
        if isinstance(value, str) and parse_child_date(value, answer, today()):
            slots.update(self.validate_child_date(value, dispatcher, tracker, domain, born=answer))
        return slots

    def validate_child_date(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        born: bool | None = None,
    ) -> dict[str, Any]:
        born = bool(tracker.get_slot("child_born")) if born is None else born
        on = today()
        parsed = iso_date(value) or parse_child_date(str(value), born, on)
        if parsed is None:
            dispatcher.utter_message(response="utter_invalid_date")
            return {"child_date": None}
        course = current_municipality().course
        problem = check_child_date(born, parsed, on, course)
        if problem is DateProblem.CHILD_TOO_OLD:
            return {"child_date": parsed.isoformat(), "enrollment_outcome": "child_too_old"}
        if problem is not None:
            dispatcher.utter_message(response=_DATE_PROBLEM_RESPONSES[problem])
            return {"child_date": None}
        slots: dict[str, Any] = {"child_date": parsed.isoformat()}
        if tracker.get_slot("contact") and "contact" not in tracker.slots_to_validate():
            # A date given (or corrected) after the contact: the teams that fit
            # are checked here, since validate_contact has run already.
            slots |= self._teams_still_fit(parsed, tracker.get_slot("team_code"), dispatcher)
        return slots

    def _teams_still_fit(
        self, child_date: date, team_code: str | None, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:  # the submit says it
            codes = [team.code for team in teams_for(tx.session, child_date)]
        if tx.failed:
            return {"enrollment_outcome": "database_error"}
        if not codes:
            return {"enrollment_outcome": _no_team_outcome(child_date)}
        if len(codes) == 1:
            return {"team_code": codes[0]}  # the one team that fits: the summary names it
        if team_code and team_code not in codes:
            return {"team_code": None}  # the chosen team does not fit the corrected date: choose again
        return {}

    def validate_first_child(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return yes_or_outcome("first_child", value, dispatcher, tracker, outcome_on_no="not_first_child")

    def validate_partner_joins(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_yes_no(value, tracker)
        if answer is False:
            return {"partner_joins": False, "partner_name": None}
        if answer is None:
            # "ja, Jonas" or just "Jonas": a name means yes.
            name = clean_name(str(value))
            if name:
                return {"partner_joins": True, "partner_name": name}
            dispatcher.utter_message(response="utter_ask_yes_or_no")
            return {"partner_joins": None}
        return {"partner_joins": True}

    def validate_partner_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = clean_name(str(value))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_parent_name")
        return {"partner_name": name}

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = parse_contact(str(value))
        if contact.is_empty:
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"contact": None}
        slots = {"contact": contact.describe(), "contact_email": contact.email, "contact_phone": contact.phone}
        if not tracker.get_slot("child_date"):
            return slots  # given before the date: the teams are checked when the date comes
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        # Whether this contact is enrolled already is never said here, nor
        # anywhere else: that would tell a stranger who typed someone's
        # e-mail that she is pregnant, and where her course is. The
        # per-contact limit holds enrollments at the end instead
        # (actions/enrollment.py), with the same answer as any other.
        # No reply on a database error: the form ends and its submit says it.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            teams = teams_for(tx.session, child_date)
        if tx.failed:
            return slots | {"enrollment_outcome": "database_error"}
        if not teams:
            return slots | {"enrollment_outcome": _no_team_outcome(child_date)}
        if len(teams) == 1:
            # Nothing to choose: the summary names the team (date and place).
            return slots | {"team_code": teams[0].code}
        return slots

    def validate_team_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:  # the submit says it
            teams = teams_for(tx.session, child_date)
        if tx.failed:
            return {"team_code": None, "enrollment_outcome": "database_error"}
        team = choose_team(str(value), teams, today())
        if team is None:
            example = teams[0].place if teams else ""
            dispatcher.utter_message(response="utter_invalid_team", team_example=example)
            return {"team_code": None}
        return {"team_code": team.code}

    def validate_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return yes_or_outcome("consent", value, dispatcher, tracker, outcome_on_no="no_consent")

    def validate_enrollment_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return yes_or_outcome("enrollment_confirmed", value, dispatcher, tracker, outcome_on_no="declined")


def _no_team_outcome(child_date: date) -> str:
    window = team_window(child_date, current_municipality().course)
    too_early = window.latest > today() and window.earliest > today()
    return "too_early_no_team" if too_early else "no_team_fits"


def yes_or_outcome(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, outcome_on_no: str
) -> dict[str, Any]:
    """A yes/no question where "no" ends the form with a known outcome."""
    answer = read_yes_no(value, tracker)
    if answer is None:
        dispatcher.utter_message(response="utter_ask_yes_or_no")
        return {slot: None}
    if answer is False:
        return {slot: False, "enrollment_outcome": outcome_on_no}
    return {slot: True}


class ActionAskTeamCode(Action):
    """Offer the teams with free seats that fit the family, as buttons."""

    def name(self) -> str:
        return "action_ask_team_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        early = team_window(child_date, current_municipality().course).too_early_today(today())
        with Transaction(dispatcher, self.name()) as tx:
            buttons = [
                {"title": button_title(team), "payload": f'/inform{{"team_code":"{team.code}"}}'}
                for team in teams_for(tx.session, child_date)
            ]
            tx.reply("utter_ask_team_code_early" if early else "utter_ask_team_code", buttons=buttons)
        return []


class ActionAskEnrollmentConfirmed(Action):
    """Show everything that will be stored and ask for a final yes."""

    def name(self) -> str:
        return "action_ask_enrollment_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        code = tracker.get_slot("team_code")
        # No reply on a database error: the summary names the team by its code instead.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            team = next((t for t in teams_for(tx.session, child_date) if t.code == code), None)
            team_text = describe_team(team) if team else code
        if tx.failed:
            team_text = code
        phone = tracker.get_slot("contact_phone")
        contact = " og ".join(
            p for p in (tracker.get_slot("contact_email"), format_phone(phone) if phone else None) if p
        )
        dispatcher.utter_message(
            response="utter_ask_enrollment_confirmed",
            parent_name=tracker.get_slot("parent_name"),
            partner_text=tracker.get_slot("partner_name") or "ingen",
            child_date_label="Født" if tracker.get_slot("child_born") else "Termin",
            child_date_text=format_danish_date(child_date),
            contact_text=contact,
            team_text=team_text,
        )
        return []
