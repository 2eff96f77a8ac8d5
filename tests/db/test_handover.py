"""The sweep for danger messages whose case was never queued (bot/handover.py):
the Rasa server answered them with 112 and the help lines, but the action
server was down, so no staff member knew. The municipal database is SQLite
and PostgreSQL (rolled back); Rasa's events table is in a tracker database of
its own, as it is in `make run`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.escalations import open_escalation
from bot.db.models import Escalation
from bot.db.sms import on_duty_alerts
from bot.handover import SWEEP_GRACE, sweep_missed_danger
from bot.shared.clock import DANISH_TIME
from tests.helpers import rasa_events_table

SUNDAY_NIGHT = datetime(2026, 11, 29, 23, 40, tzinfo=DANISH_TIME)
MONDAY_MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=DANISH_TIME)


def tracker_with(path: Path, turns: list[tuple[str, str, datetime]]) -> Engine:
    """Rasa's events table (the columns its SQLTrackerStore writes) with user messages: (conversation, intent, when)."""
    engine = create_engine(f"sqlite:///{path / 'tracker.db'}")
    events = rasa_events_table()
    events.create(engine)
    with engine.begin() as connection:
        connection.execute(
            events.insert(),
            [
                {
                    "sender_id": sender,
                    "type_name": "user",
                    "timestamp": at.timestamp(),
                    "intent_name": intent,
                    "data": json.dumps({"event": "user", "text": "…", "input_channel": "socketio"}),
                }
                for sender, intent, at in turns
            ],
        )
    return engine


def cases(session: Session, conversation: str) -> list[Escalation]:
    return list(session.scalars(select(Escalation).where(Escalation.conversation_id == conversation)))


def test_a_danger_message_without_a_case_is_queued_once_and_texted_at_night(
    session_maker: sessionmaker[Session], tmp_path: Path
) -> None:
    now = SUNDAY_NIGHT
    tracker = tracker_with(
        tmp_path,
        [
            ("glemt", "greet", now - timedelta(minutes=12)),
            ("glemt", "express_distress", now - timedelta(minutes=10)),
            ("glemt", "ask_course_info", now - timedelta(minutes=9)),
            ("lige-nu", "express_distress", now - timedelta(seconds=30)),  # the action still has its chance
            ("i-forgaars", "express_distress", now - timedelta(days=2)),  # past the window
            ("bare-snak", "faq", now - timedelta(minutes=10)),
        ],
    )
    assert sweep_missed_danger(session_maker, tracker, now) == 1
    assert sweep_missed_danger(session_maker, tracker, now + timedelta(minutes=1)) == 0  # once
    with session_maker() as session:
        [case] = cases(session, "glemt")
        assert (case.priority, case.reason, case.team, case.channel) == ("critical", "distress", "family", "socketio")
        assert "blev ikke oprettet" in case.summary
        [text] = on_duty_alerts(session, [case.id])[case.id]
        assert text.kind == "on_duty" and f"(nr. {case.id})" in text.body
        assert cases(session, "lige-nu") == cases(session, "i-forgaars") == cases(session, "bare-snak") == []


def test_a_danger_message_whose_case_the_action_queued_is_left_alone(
    session_maker: sessionmaker[Session], tmp_path: Path
) -> None:
    now = MONDAY_MORNING
    tracker = tracker_with(tmp_path, [("passet", "express_distress", now - timedelta(minutes=10))])
    with session_maker.begin() as session:  # what the action did a second after the message
        open_escalation(
            session, conversation_id="passet", channel="socketio", reason="distress", priority="critical", summary="x"
        )
    assert sweep_missed_danger(session_maker, tracker, now + timedelta(minutes=20)) == 0
    with session_maker() as session:
        assert len(cases(session, "passet")) == 1


def test_an_ordinary_case_is_raised_to_critical_by_day_without_a_text(
    session_maker: sessionmaker[Session], tmp_path: Path
) -> None:
    now = MONDAY_MORNING
    with session_maker.begin() as session:  # a person asked for earlier in the conversation
        open_escalation(
            session, conversation_id="hævet", channel="socketio", reason="request_human", priority="normal", summary="x"
        )
    tracker = tracker_with(tmp_path, [("hævet", "express_distress", now + SWEEP_GRACE)])
    assert sweep_missed_danger(session_maker, tracker, now + 2 * SWEEP_GRACE + timedelta(seconds=1)) == 1
    with session_maker() as session:
        [case] = cases(session, "hævet")
        assert case.priority == "critical" and on_duty_alerts(session, [case.id]) == {}
