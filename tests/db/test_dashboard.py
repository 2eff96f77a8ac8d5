"""The dashboard's numbers (bot/db/dashboard.py, bot/db/dashboard_events.py)
from a known set of conversations (tests/dashboard_seed.py), on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.db.dashboard import enrollment_stats, escalated_conversations, escalation_stats
from bot.db.dashboard_events import conversation_stats
from bot.staff.dashboard import Period
from tests import dashboard_seed as seed

PERIOD = Period(seed.FIRST, seed.LAST)


def test_the_period_runs_from_danish_midnight_to_danish_midnight() -> None:
    assert PERIOD.start == datetime(2026, 11, 1, 23, 0, tzinfo=timezone.utc)
    assert PERIOD.end == datetime(2026, 11, 4, 23, 0, tzinfo=timezone.utc)
    summer = Period(date(2026, 7, 1), date(2026, 7, 1))
    assert summer.start == datetime(2026, 6, 30, 22, 0, tzinfo=timezone.utc)


def test_conversation_numbers_of_the_seeded_events(engine: Engine) -> None:
    with engine.connect() as connection, connection.begin() as transaction:  # rolled back: the table is the test's
        seed.events_table(connection)
        stats = conversation_stats(connection, PERIOD.start, PERIOD.end)
        family = conversation_stats(connection, PERIOD.start, PERIOD.end, misunderstood_of={"a", "d"})
        transaction.rollback()
    assert stats.conversation_ids == {"a", "b", "c", "d"} and stats.conversations == 4
    assert stats.per_day == Counter({date(2026, 11, 2): 2, date(2026, 11, 3): 1, date(2026, 11, 4): 1})
    assert stats.per_hour == Counter({9: 1, 23: 1, 0: 1, 14: 1})
    assert (stats.user_messages, stats.fallbacks, stats.two_misunderstood) == (11, 4, 1)
    assert stats.fallback_rate == 4 / 11 and stats.two_misunderstood_rate == 0.25
    assert stats.intents == Counter({"nlu_fallback": 4, "faq": 3, "greet": 2, "ask_course_info": 1, "request_human": 1})
    assert stats.topics == Counter({"tandpleje": 2, "sundhedspleje": 1})
    rows = [(row.text, row.count, sorted(row.conversations)) for row in stats.misunderstood]
    assert rows == [
        ("kan i ringe", 2, ["a", "b"]),  # "Kan  I ringe" is the same wording
        ("=SUM(A1)", 1, ["b"]),
        ("hvad med [CPR-nummer fjernet] ting", 1, ["a"]),
    ]
    latest = stats.misunderstood[0].latest
    assert latest is not None and (latest.conversation_id, latest.timestamp) == ("b", seed.at(2, 23, 30).timestamp())
    assert [(row.text, row.count) for row in family.misunderstood] == [
        ("hvad med [CPR-nummer fjernet] ting", 1),
        ("kan i ringe", 1),
    ]
    assert family.conversations == 4  # the rest is the whole assistant's


def test_no_events_table_is_no_conversations(engine: Engine, tmp_path: object) -> None:
    from sqlalchemy import create_engine

    empty = create_engine(f"sqlite:///{tmp_path}/tracker.db")
    with empty.connect() as connection:
        stats = conversation_stats(connection, PERIOD.start, PERIOD.end)
    empty.dispose()
    assert stats.conversations == 0 and stats.fallback_rate is None and stats.two_misunderstood_rate is None


def test_escalations_by_reason_and_priority_with_the_time_to_the_first_answer(session: Session) -> None:
    seed.cases_and_enrolment(session)
    every = escalation_stats(session, PERIOD.start, PERIOD.end)
    assert (every.total.cases, every.total.answered, every.total.median_minutes) == (3, 2, 7.5)
    assert every.total.longest_minutes == 12
    assert [(g.name, g.cases, g.answered, g.median_minutes) for g in every.by_reason] == [
        ("distress", 1, 1, 3),
        ("misunderstood", 1, 1, 12),
        ("request_human", 1, 0, None),
    ]
    assert [(g.name, g.cases) for g in every.by_priority] == [("critical", 1), ("high", 1), ("normal", 1)]
    family = escalation_stats(session, PERIOD.start, PERIOD.end, "family")
    assert (family.total.cases, family.total.answered, family.total.median_minutes) == (2, 1, 12)
    assert escalated_conversations(session, {"a", "b", "c", "d"}) == {"a", "b", "d"}


def test_enrolments_made_in_the_period(session: Session) -> None:
    seed.cases_and_enrolment(session)
    made = enrollment_stats(session, PERIOD.start, PERIOD.end)
    assert (made.total, made.by_team, made.by_status) == (1, Counter({"HOLD-TEST": 1}), Counter({"active": 1}))
    assert enrollment_stats(session, Period(date(2026, 11, 4), seed.LAST).start, PERIOD.end).total == 0
