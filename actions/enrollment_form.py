"""The Familie med Hjerte enrollment form: validating each answer, choosing the
team (the fitting one that starts first, another only when asked for) and
the summary's one yes (actions/enrollment_summary.py asks it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import Interruptible, messages_while_asked, read_yes_no, today
from actions.enrollment_extraction import FORM_SLOTS, TakesEverything, iso_date
from actions.teams import button_title, choose_team, offered_teams
from actions.transaction import Transaction
from bot.dates import (
    birth_date_from_age,
    due_date_from_pregnancy_week,
    parse_danish_date,
)
from bot.dates.words import normalise
from bot.db.models import CourseTeam
from bot.eligibility import DateProblem, check_child_date, team_window
from bot.shared.municipality import current_municipality
from bot.validation import clean_name, parse_contact

# An answer the form could not check against the database: asked again, the form goes on.
CHECK_FAILED = "utter_enrollment_check_failed"

_DATE_PROBLEM_RESPONSES = {
    DateProblem.DUE_IN_PAST: "utter_due_date_in_past",
    DateProblem.DUE_TOO_FAR: "utter_due_date_too_far",
    DateProblem.BIRTH_IN_FUTURE: "utter_birth_date_in_future",
}
_EXPECTING_WORDS = ("termin", "gravid", "venter", "ikke født", "ikke foedt")
_BARE_NO = frozenset({"nej", "nope", "no", "næh", "nah", "tak", "ikke", "alligevel", "desværre", "okay", "ok"})
_REFUSAL = re.compile(
    r"\b(?:gem\w*|opbevar\w*|tilmeld\w*|alligevel|fortr\w*|ikke\s+med|afmeld\w*|glem\w*|stop\w*|slet\w*|"
    r"vil\s+ikke|ønsker\s+ikke|samtykke|lov|don'?t|not\s+store|no\s+thanks)\b"
)
# A "nej" at the summary that says something is wrong, without saying what:
# asked what to correct, not taken as a refusal.
_SOMETHING_WRONG = re.compile(
    r"\b(?:forkert\w*|fejl\w*|ret|rette|rettes|ændre\w*|stavet|passer\s+ikke|ikke\s+rigtig\w*|"
    r"ikke\s+korrekt|skal\s+være)\b"
)


# Questions nothing else depends on (the contact is where the teams are
# checked, the date and born-or-not decide the teams).
_DEFERRABLE = ("parent_name", "partner_joins", "partner_name")


def times_asked(tracker: Tracker, slot: str) -> int:
    """How many messages the parent has sent while the form asked for this slot."""
    return messages_while_asked(tracker, "enrollment_form", slot)


def parse_child_date(text: str, born: bool, on: date) -> date | None:
    if born:
        return birth_date_from_age(text, on) or parse_danish_date(text, on, "past")
    return due_date_from_pregnancy_week(text, on) or parse_danish_date(text, on, "future")


def teams_for(session: Session, child_date: date) -> Sequence[CourseTeam]:
    """The teams offered to a family with this due or birth date today."""
    return offered_teams(session, child_date, today(), current_municipality().course)


def fitting_team(codes: Sequence[str], current: str | None) -> str:
    """The team chosen for the family: the one already chosen while it still
    fits, otherwise the fitting team that starts first (the list's order)."""
    return current if current is not None and current in codes else codes[0]


__all__ = ["FORM_SLOTS", "ActionAskTeamCode", "ValidateEnrollmentForm"]


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
        with Transaction(dispatcher, self.name(), error_reply=CHECK_FAILED) as tx:
            codes = [team.code for team in teams_for(tx.session, child_date)]
        if tx.failed:
            return {"child_date": None}  # the form goes on and asks for the date again
        if not codes:
            return {"enrollment_outcome": _no_team_outcome(child_date)}
        # The team chosen still fits, or the first that fits the corrected date:
        # the summary names it.
        return {"team_code": fitting_team(codes, team_code)}

    def another_team(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """ "andet hold" at the summary: the team question with every team that
        fits, or, when no other fits, the summary again with the one chosen."""
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        with Transaction(dispatcher, self.name()) as tx:
            codes = [team.code for team in teams_for(tx.session, child_date)]
        if tx.failed:
            return {}  # told so; the summary comes again
        if len(codes) > 1:
            return {"team_code": None}
        dispatcher.utter_message(response="utter_no_other_team")
        return {}

    def validate_partner_joins(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_yes_no(value, tracker)
        if answer is False:
            return {"partner_joins": False, "partner_name": None}
        if answer is None:
            # "ja, Jonas" or just "Jonas": a name means yes; a sentence is no name
            # ("my husband is called Lars" was stored as the partner's name).
            name = clean_name(str(value)) if len(str(value).split()) <= 3 else None
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
        # On a database error the form goes on and asks for the contact again.
        with Transaction(dispatcher, self.name(), error_reply=CHECK_FAILED) as tx:
            teams = teams_for(tx.session, child_date)
        if tx.failed:
            return {"contact": None}
        if not teams:
            return slots | {"enrollment_outcome": _no_team_outcome(child_date)}
        # The summary names the team (place and start) and says how to choose another.
        return slots | {"team_code": fitting_team([team.code for team in teams], tracker.get_slot("team_code"))}

    def validate_team_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        with Transaction(dispatcher, self.name(), error_reply=CHECK_FAILED) as tx:
            teams = teams_for(tx.session, child_date)
        if tx.failed:
            return {"team_code": None}  # the form goes on and asks again
        team = choose_team(str(value), teams, today())
        if team is None:
            example = teams[0].place if teams else ""
            dispatcher.utter_message(response="utter_invalid_team", team_example=example)
            return {"team_code": None}
        return {"team_code": team.code}

    def validate_enrollment_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The summary's one question: a yes confirms and gives the consent to
        store (it is the first child, as the summary says); a no that says
        something is wrong asks what; any other no stores nothing."""
        answer = read_yes_no(value, tracker)
        if answer is None:
            dispatcher.utter_message(response="utter_ask_yes_or_no")
            return {"enrollment_confirmed": None}
        if answer:
            return {"enrollment_confirmed": True, "consent": True, "first_child": True}
        text = normalise(str(tracker.latest_message.get("text") or ""))
        if _SOMETHING_WRONG.search(text) or not refuses(text):
            # Something is wrong, or a "nej" with words that are neither a
            # correction read nor a refusal: asked what, nothing ends.
            dispatcher.utter_message(response="utter_enrollment_what_to_correct")
            return {"enrollment_confirmed": None}
        return {"enrollment_confirmed": False, "consent": False, "enrollment_outcome": "no_consent"}


def refuses(text: str) -> bool:
    """A no at the summary that refuses: a bare no ("nej", "nej tak", the
    button) or words about not storing or not enrolling."""
    words = re.findall(r"[a-zæøå]+", text)
    return text.startswith("/") or not set(words) - _BARE_NO or bool(_REFUSAL.search(text))


def _no_team_outcome(child_date: date) -> str:
    window = team_window(child_date, current_municipality().course)
    too_early = window.latest > today() and window.earliest > today()
    return "too_early_no_team" if too_early else "no_team_fits"


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
