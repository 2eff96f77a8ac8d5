"""my_data and delete_my_data against real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.privacy import ActionDeleteMyData, ActionShowMyData
from bot.db.enrollments import NewEnrollment, create_enrollment
from bot.db.models import CourseEnrollment, CourseTeam
from tests.helpers import make_tracker, responses


def enrol(session: Session, team: CourseTeam, conversation: str, due: date) -> CourseEnrollment:
    row = create_enrollment(
        session,
        NewEnrollment(
            team_id=team.id,
            parent_name="Mette Hansen",
            partner_name="Jonas",
            due_date=due,
            birth_date=None,
            email="mette.privacy@example.dk",
            phone="22334455",
            conversation_id=conversation,
            consent_text="Må vi gemme oplysningerne?",
        ),
    )
    session.commit()
    return row


def run(action: Any, sender: str) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(action.run(dispatcher, make_tracker(sender_id=sender), {}))


def test_my_data_lists_the_enrollment_its_consent_and_how_long_it_is_kept(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    row = enrol(session, teams[0], "conv-mine", due_in_three_months)
    dispatcher, _ = run(ActionShowMyData(), "conv-mine")
    assert responses(dispatcher) == ["utter_my_data"]
    stored = dispatcher.messages[0]["stored"]
    for detail in [
        row.reference_code,
        "Mette Hansen",
        "Jonas",
        "mette.privacy@example.dk",
        "22334455",
        "Må vi gemme oplysningerne?",
        "90 dage efter, at forløbet er slut",
    ]:
        assert detail in stored
    assert dispatcher.messages[0]["conversation_days"] == "30"


def test_my_data_with_nothing_but_the_conversation(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrol(session, teams[0], "someone-else", due_in_three_months)
    dispatcher, _ = run(ActionShowMyData(), "conv-empty")
    assert responses(dispatcher) == ["utter_my_data_conversation_only"]


def test_delete_removes_the_conversations_enrollments_and_frees_the_seat(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrol(session, teams[0], "conv-delete", due_in_three_months)
    other = enrol(session, teams[0], "conv-keep", due_in_three_months)
    dispatcher, events = run(ActionDeleteMyData(), "conv-delete")
    assert responses(dispatcher) == ["utter_data_deleted"] and events == [SlotSet("conversation_deleted", True)]
    session.expire_all()
    left = session.scalars(select(CourseEnrollment.conversation_id)).all()
    assert "conv-delete" not in left and other.conversation_id in left
    assert session.get(CourseTeam, teams[0].id).seats_taken == 1  # type: ignore[union-attr]


def test_delete_with_only_a_conversation(session_maker: sessionmaker[Session]) -> None:
    dispatcher, events = run(ActionDeleteMyData(), "conv-nothing")
    assert responses(dispatcher) == ["utter_conversation_deleted"] and events == [SlotSet("conversation_deleted", True)]


def test_database_down_deletes_nothing_and_keeps_the_conversation(database_down: None) -> None:
    dispatcher, events = run(ActionDeleteMyData(), "conv-down")
    assert responses(dispatcher) == ["utter_database_error"] and events == []


def test_a_conversation_that_became_a_case_is_kept_and_staff_get_the_request(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    from bot.db.escalations import open_escalation

    enrol(session, teams[0], "conv-case", due_in_three_months)
    open_escalation(
        session,
        conversation_id="conv-case",
        channel="rest",
        reason="distress",
        priority="critical",
        summary="express_distress: ...",
    )
    session.commit()
    dispatcher, _ = run(ActionShowMyData(), "conv-case")
    assert "sendt til en medarbejder" in dispatcher.messages[0]["stored"]

    dispatcher, events = run(ActionDeleteMyData(), "conv-case")
    assert responses(dispatcher) == ["utter_data_kept_for_case"] and events == []  # the transcript stays
    session.expire_all()
    assert session.scalars(select(CourseEnrollment).where(CourseEnrollment.conversation_id == "conv-case")).all() == []
    from bot.db.models import Escalation

    case = session.scalars(select(Escalation).where(Escalation.conversation_id == "conv-case")).one()
    [task] = case.notes
    assert task.kind == "task" and task.author == "assistenten" and "slettet" in task.text
