"""Consent records on real SQLite and PostgreSQL: asked before storing (with
the enrollment's summary), recorded with the words shown and the answer, shown in my_data, and gone
with what they cover."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

import actions.handover as handover
from actions.enrollment_summary import ActionAskEnrollmentConfirmed, consent_text
from actions.handover import ActionSubmitContact
from actions.privacy import ActionDeleteMyData, ActionShowMyData
from bot.db.consents import purge_consents
from bot.db.escalations import open_escalation
from bot.db.models import ConsentRecord, CourseEnrollment, CourseTeam
from bot.shared.municipality import current_municipality
from tests.actions.test_enrollment_submit import filled_form, submit
from tests.actions.test_handover import MONDAY_MORNING
from tests.helpers import make_tracker, responses


def consents(session: Session, conversation: str) -> list[ConsentRecord]:
    session.expire_all()
    return list(session.scalars(select(ConsentRecord).where(ConsentRecord.conversation_id == conversation)))


def test_an_enrollment_records_the_consent_it_was_given_with(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = filled_form(teams[0], due_in_three_months)
    shown = CollectingDispatcher()  # the summary, whose yes is the consent
    asyncio.run(ActionAskEnrollmentConfirmed().run(shown, make_tracker(slots=slots), domain))
    text_shown = shown.messages[0]["consent_text"]
    statement = current_municipality().privacy.enrollment_consent.removesuffix("Må vi gemme oplysningerne?").strip()
    assert text_shown.startswith(statement) and text_shown.endswith("må vi gemme oplysningerne og tilmelde jer?")
    submit(slots, domain, sender="conv-c")
    enrollment = session.scalars(select(CourseEnrollment)).one()
    [row] = consents(session, "conv-c")
    assert (row.purpose, row.answer, row.subject) == ("course_enrollment", "given", enrollment.reference_code)
    assert row.text_shown == text_shown == enrollment.consent_text  # the exact words the parent said yes to


def test_a_no_is_recorded_with_nothing_about_the_person(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    dispatcher, _ = submit(
        filled_form(teams[0], due_in_three_months, consent=False, enrollment_outcome="no_consent"),
        domain,
        sender="conv-no",
    )
    assert responses(dispatcher) == ["utter_no_consent"]
    [row] = consents(session, "conv-no")
    assert (row.answer, row.subject) == ("declined", None)
    assert row.text_shown == consent_text(make_tracker())  # the words the parent said no to
    assert session.scalars(select(CourseEnrollment)).all() == []


def test_a_phone_number_for_staff_is_stored_with_its_consent(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handover, "now", lambda: MONDAY_MORNING)
    case = open_escalation(
        session, conversation_id="conv-k", channel="rest", reason="request_human", priority="normal", summary=""
    )
    session.commit()
    asyncio.run(
        ActionSubmitContact().run(
            CollectingDispatcher(),
            make_tracker(sender_id="conv-k", slots={"contact_method": "phone", "handoff_contact": "+4512345678"}),
            {},
        )
    )
    [row] = consents(session, "conv-k")
    assert (row.purpose, row.answer, row.subject) == ("contact_for_case", "given", f"escalation:{case.id}")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionShowMyData().run(dispatcher, make_tracker(sender_id="conv-k"), {}))
    assert (
        "Samtykke givet" in dispatcher.messages[0]["stored"]
        and "medarbejder kontakter dig" in dispatcher.messages[0]["stored"]
    )
    # The case is kept on deletion, and so is the consent it was contacted under.
    asyncio.run(ActionDeleteMyData().run(CollectingDispatcher(), make_tracker(sender_id="conv-k"), {}))
    assert len(consents(session, "conv-k")) == 1


def test_deleting_the_data_deletes_the_enrollment_consent(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    submit(filled_form(teams[0], due_in_three_months), domain, sender="conv-d")
    asyncio.run(ActionDeleteMyData().run(CollectingDispatcher(), make_tracker(sender_id="conv-d"), {}))
    assert consents(session, "conv-d") == []


def test_the_purge_keeps_a_consent_as_long_as_its_enrollment(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    submit(filled_form(teams[0], due_in_three_months), domain, sender="conv-e")
    submit(
        filled_form(teams[0], due_in_three_months, consent=False, enrollment_outcome="no_consent"),
        domain,
        sender="conv-f",
    )
    assert purge_consents(session, ["conv-e", "conv-f"]) == 1  # the no of conv-f; conv-e's enrollment still exists
    assert len(consents(session, "conv-e")) == 1
    session.delete(session.scalars(select(CourseEnrollment)).one())
    session.flush()
    assert purge_consents(session, []) == 1 and consents(session, "conv-e") == []
