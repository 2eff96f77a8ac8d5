"""Two danger messages of one conversation at the same moment, on real
PostgreSQL: the conversation is queued once. Commits for real (two
transactions cannot share one rolled-back transaction) in the run's own
database, and cleans up after itself."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.db.escalations import open_escalation
from bot.db.models import Escalation, EscalationStatus


@pytest.fixture
def conversation(pg_engine: Engine) -> Iterator[str]:
    name = f"race-{uuid.uuid4().hex[:8]}"
    yield name
    with sessionmaker(pg_engine).begin() as session:
        session.execute(delete(Escalation).where(Escalation.conversation_id == name))


def test_two_cases_opened_at_once_are_one(pg_engine: Engine, conversation: str) -> None:
    maker = sessionmaker(pg_engine, expire_on_commit=False)
    first = maker()
    open_escalation(
        first,
        conversation_id=conversation,
        channel="socketio",
        reason="distress",
        priority="critical",
        summary="Fare: suicide",
        team="youth",
    )  # written, not yet committed
    second_done = threading.Event()
    failures: list[BaseException] = []

    def second() -> None:
        try:
            with maker.begin() as session:  # its insert waits for the first transaction on the unique index
                open_escalation(
                    session,
                    conversation_id=conversation,
                    channel="socketio",
                    reason="request_human",
                    priority="normal",
                    summary="vil tale med en",
                    team="youth",
                )
        except BaseException as error:  # reported to the test's thread
            failures.append(error)
        finally:
            second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not second_done.wait(0.5)  # it waits: both saw no open case
    first.commit()
    first.close()
    thread.join(10)
    assert failures == []
    with maker() as session:
        rows = session.scalars(select(Escalation).where(Escalation.conversation_id == conversation)).all()
    assert len(rows) == 1 and rows[0].priority == "critical"
    assert "Fare: suicide" in rows[0].summary and "vil tale med en" in rows[0].summary


def test_the_database_refuses_a_second_open_case_written_past_the_check(pg_engine: Engine, conversation: str) -> None:
    with sessionmaker(pg_engine).begin() as session:
        for _ in range(2):
            session.add(
                Escalation(
                    conversation_id=conversation,
                    channel="rest",
                    reason="distress",
                    priority="critical",
                    status=EscalationStatus.NEW,
                    summary="x",
                    team="family",
                )
            )
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
