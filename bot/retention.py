"""Retention: delete what is past its age. Run by `make purge` /
`python -m bot purge`, e.g. nightly from cron or a systemd timer.

- Conversations (Rasa's tracker store, table `events`): every event of a
  conversation whose latest event is older than `conversation_days`, with
  the review tags staff put on its messages. A conversation that became a
  case (an escalation) is a case record and is kept. A purged conversation
  is no longer tied to a young person's profile (the profile stays).
- Consent records with what they cover: an enrollment's with the enrollment,
  the rest with the conversation.
- Pairing codes a day after they expired, and wrong-code attempts older than
  the lock window; the satisfaction question's offers a day after they
  expired (the answers hold no conversation and stay, as statistics).
- Cancelled enrollments: `cancelled_enrollment_days` after the cancellation.
- Enrollments whose course is over: `days_after_course` after the child (born
  or due) passed the course window (the municipality file's course end).

Idempotent, and safe while the servers run: each part is one transaction,
and a conversation written to in the period is never old enough to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import create_engine

from bot.db.consents import purge_consents
from bot.db.enrollments import delete_cancelled_before, delete_with_child_date_before, purge_lookup_attempts
from bot.db.escalations import conversations_with_cases
from bot.db.review import delete_by_conversation as delete_review_tags
from bot.db.satisfaction import purge_offers
from bot.db.session import make_sessionmaker
from bot.db.staff import purge_sessions
from bot.db.tracker_events import delete_conversations, stale_conversations
from bot.db.youth import forget_conversation, purge_pairing, purge_receipts
from bot.shared.municipality import Municipality


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    events: int
    cancelled_enrollments: int
    finished_enrollments: int


def purge_conversations(
    tracker_store_url: str, older_than: datetime, keep: frozenset[str] | set[str] = frozenset()
) -> tuple[list[str], int]:
    """(conversations, events) deleted from the tracker store; `keep` are case records."""
    engine = create_engine(tracker_store_url)
    try:
        with engine.begin() as connection:
            senders = [sender for sender in stale_conversations(connection, older_than) if sender not in keep]
            deleted = delete_conversations(connection, senders)
        return senders, deleted
    finally:
        engine.dispose()


def purge(database_url: str, tracker_store_url: str, municipality: Municipality, now: datetime) -> PurgeReport:
    retention = municipality.retention
    maker = make_sessionmaker(database_url, immediate=True)  # its writes wait for the lock on SQLite
    with maker() as session:
        cases = conversations_with_cases(session)
    conversations, events = purge_conversations(
        tracker_store_url, now - timedelta(days=retention.conversation_days), keep=cases
    )
    course_end = relativedelta(months=municipality.course.end_child_age_months)
    today: date = now.date()
    with maker.begin() as session:
        for conversation in conversations:
            delete_review_tags(session, conversation)
            forget_conversation(session, conversation)
        purge_pairing(session, now)
        purge_receipts(session, now)
        purge_lookup_attempts(session, now)
        purge_sessions(session, now)
        purge_offers(session, now)
        cancelled = delete_cancelled_before(session, now - timedelta(days=retention.cancelled_enrollment_days))
        finished = delete_with_child_date_before(
            session, today - course_end - timedelta(days=retention.days_after_course)
        )
        purge_consents(session, conversations)
    return PurgeReport(len(conversations), events, cancelled, finished)
