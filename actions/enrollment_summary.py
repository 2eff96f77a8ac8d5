"""The enrollment's summary: everything that will be stored, the team chosen
(and how to choose another), what is stored and why, and one question whose
yes both confirms and consents."""

from __future__ import annotations

import re
from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.enrollment_form import teams_for
from actions.teams import describe_team
from actions.transaction import Transaction
from bot.dates import format_danish_date
from bot.domain import render_response
from bot.shared.municipality import current_municipality
from bot.validation import format_phone

# The municipality's consent text may end with its own question ("Må vi
# gemme oplysningerne?"); the summary asks one question, which replaces it.
_LAST_QUESTION = re.compile(r"\s*[^.!?]*\?\s*$")


def consent_text(tracker: Tracker) -> str:
    """What is stored and why, and the question, exactly as the summary shows
    them: the municipality's consent text (set at session start from the
    municipality file) and the summary's one question. This is what the
    consent record and the enrollment keep."""
    municipality_text = str(
        tracker.get_slot("privacy_enrollment_consent") or current_municipality().privacy.enrollment_consent
    ).strip()
    statement = _LAST_QUESTION.sub("", municipality_text) or municipality_text
    question = render_response("utter_enrollment_consent_question")
    return f"{statement}\n\n{question}"


class ActionAskEnrollmentConfirmed(Action):
    """Show everything that will be stored and ask the one question."""

    def name(self) -> str:
        return "action_ask_enrollment_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        child_date = date.fromisoformat(tracker.get_slot("child_date"))
        code = tracker.get_slot("team_code")
        # No reply on a database error: the summary names the team by its code instead.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            teams = teams_for(tx.session, child_date)
            team = next((t for t in teams if t.code == code), None)
            team_text = describe_team(team) if team else code
            several = len(teams) > 1
        if tx.failed:
            team_text, several = code, False
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
            other_team_text=render_response("utter_enrollment_other_team_hint") if several else "",
            consent_text=consent_text(tracker),
        )
        return []
