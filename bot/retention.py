"""Retention: delete what is past its age. Run by `make purge` /
`python -m bot purge`, e.g. nightly from cron or a systemd timer.

- Conversations (Rasa's tracker store, table `events`): every event of a
  conversation whose latest event is older than `conversation_days`.
- Cancelled enrolments: `cancelled_enrollment_days` after the cancellation.
- Enrolments whose course is over: `days_after_course` after the child (born
  or due) passed the course window (the municipality file's course end).

Idempotent, and safe while the servers run: each part is one transaction,
and a conversation written to in the period is never old enough to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta
from sqlalchemy import MetaData, Table, create_engine, delete, func, inspect, select

from bot.db.enrollments import delete_cancelled_before, delete_with_child_date_before
from bot.db.session import make_sessionmaker
from bot.municipality import Municipality

TRACKER_EVENTS = "events"  # the table Rasa's SQLTrackerStore writes


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    events: int
    cancelled_enrollments: int
    finished_enrollments: int


def purge_conversations(tracker_store_url: str, older_than: datetime) -> tuple[int, int]:
    """(conversations, events) deleted from the tracker store."""
    engine = create_engine(tracker_store_url)
    try:
        if not inspect(engine).has_table(TRACKER_EVENTS):
            return 0, 0
        events = Table(TRACKER_EVENTS, MetaData(), autoload_with=engine)
        stale = (select(events.c.sender_id).group_by(events.c.sender_id)
                 .having(func.max(events.c.timestamp) < older_than.timestamp()))
        with engine.begin() as connection:
            senders = list(connection.scalars(stale))
            if not senders:
                return 0, 0
            deleted = connection.execute(delete(events).where(events.c.sender_id.in_(stale))).rowcount
        return len(senders), deleted
    finally:
        engine.dispose()


def purge(database_url: str, tracker_store_url: str, municipality: Municipality, now: datetime) -> PurgeReport:
    retention = municipality.retention
    conversations, events = purge_conversations(tracker_store_url,
                                                now - timedelta(days=retention.conversation_days))
    course_end = relativedelta(months=municipality.course.end_child_age_months)
    today: date = now.date()
    with make_sessionmaker(database_url).begin() as session:
        cancelled = delete_cancelled_before(session, now - timedelta(days=retention.cancelled_enrollment_days))
        finished = delete_with_child_date_before(
            session, today - course_end - timedelta(days=retention.days_after_course))
    return PurgeReport(conversations, events, cancelled, finished)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
