"""A known set of conversations for the dashboard's tests (tests/db/test_dashboard.py,
tests/web/test_staff_dashboard.py, tests/e2e/test_dashboard_browser.py): Rasa's
events, the cases and an enrolment, with the numbers they must give for the
period 2 to 4 November 2026 (Danish time, UTC+1 then).

  a  family   2 Nov 09:15  greet, faq (tandpleje), two misunderstood in a row; a case
                           (misforstået, normal) answered after 12 minutes; one earlier
                           message on 1 Nov 23:50, outside the period
  b  youth    2 Nov 23:30  misunderstood, greet, misunderstood (not in a row); a critical
                           case answered after 3 minutes
  c  -        3 Nov 00:10  (still 2 Nov in UTC) course info, faq twice (sundhedspleje,
                           tandpleje); no case: ended without a person; an enrolment
  d  family   4 Nov 14:00  request_human; a high case never answered in the chat
  e  family   5 Nov 00:30  (still 4 Nov in UTC) outside the period: misunderstood; a case
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from bot.db.escalations import open_escalation
from bot.db.models import CourseEnrollment, CourseTeam
from tests.helpers import rasa_events_table

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 4)
CET = timezone(timedelta(hours=1))


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A Danish time in November 2026."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=CET)


def user(sender: str, when: datetime, text: str, intent: str, confidence: float = 0.9) -> dict[str, Any]:
    data = {
        "event": "user",
        "timestamp": when.timestamp(),
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": []},
    }
    row = {"sender_id": sender, "type_name": "user", "timestamp": when.timestamp(), "intent_name": intent}
    return row | {"data": data}


def topic(sender: str, when: datetime, value: str) -> dict[str, Any]:
    data = {"event": "slot", "timestamp": when.timestamp(), "name": "service_topic", "value": value}
    return {"sender_id": sender, "type_name": "slot", "timestamp": when.timestamp(), "data": data}


def bot(sender: str, when: datetime, text: str) -> dict[str, Any]:
    data = {"event": "bot", "timestamp": when.timestamp(), "text": text}
    return {"sender_id": sender, "type_name": "bot", "timestamp": when.timestamp(), "data": data}


EVENTS = [
    user("a", at(1, 23, 50), "hej igen", "greet"),
    user("a", at(2, 9, 15), "hej", "greet"),
    bot("a", at(2, 9, 15, 1), "Hej! Hvad kan jeg hjælpe med?"),
    user("a", at(2, 9, 16), "hvad koster tandlægen", "faq"),
    topic("a", at(2, 9, 16, 1), "tandpleje"),
    user("a", at(2, 9, 17), "hvad med 010203-1234 ting", "nlu_fallback", 0.2),
    user("a", at(2, 9, 18), "kan i ringe", "nlu_fallback", 0.3),
    user("b", at(2, 23, 30), "Kan  I ringe", "nlu_fallback", 0.25),
    user("b", at(2, 23, 31), "hej", "greet"),
    user("b", at(2, 23, 32), "=SUM(A1)", "nlu_fallback", 0.1),
    user("c", at(3, 0, 10), "hvad er familie med hjerte", "ask_course_info"),
    user("c", at(3, 0, 11), "sundhedsplejerske", "faq"),
    topic("c", at(3, 0, 11, 1), "sundhedspleje"),
    user("c", at(3, 0, 12), "og tandpleje", "faq"),
    topic("c", at(3, 0, 12, 1), "tandpleje"),
    user("d", at(4, 14, 0), "jeg vil tale med et menneske", "request_human"),
    user("e", at(5, 0, 30), "kan i ringe", "nlu_fallback", 0.3),
]


def events_table(bind: Connection) -> None:
    """Rasa's events table (its columns as Rasa's SQLTrackerStore makes them), with EVENTS."""
    events = rasa_events_table()
    events.create(bind)
    empty = {"intent_name": None, "action_name": None}
    bind.execute(events.insert(), [empty | row | {"data": json.dumps(row["data"])} for row in EVENTS])


# (conversation, team, reason, priority, created, answered)
CASES = [
    ("a", "family", "misunderstood", "normal", at(2, 9, 20), at(2, 9, 32)),
    ("b", "youth", "distress", "critical", at(2, 23, 31), at(2, 23, 34)),
    ("d", "family", "request_human", "high", at(4, 14, 1), None),
    ("e", "family", "misunderstood", "normal", at(5, 0, 31), None),
]


def cases_and_enrolment(session: Session) -> None:
    for conversation, team, reason, priority, created, answered in CASES:
        case = open_escalation(
            session,
            conversation_id=conversation,
            channel="socketio",
            reason=reason,
            priority=priority,
            summary="",
            team=team,
        )
        case.created_at, case.answered_at = created, answered
    team = CourseTeam(
        code="HOLD-TEST", place="Sundhedshuset", address="Vej 1", start_date=date(2027, 1, 4), capacity=10
    )
    session.add(team)
    session.flush()
    session.add(
        CourseEnrollment(
            reference_code="FMH-DASH1",
            team_id=team.id,
            parent_name="Mor",
            due_date=date(2027, 3, 1),
            email="mor@example.dk",
            conversation_id="c",
            consent_text="ja",
            created_at=at(3, 0, 20),
        )
    )
    session.flush()
