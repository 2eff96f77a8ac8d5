"""Two staff members take the same case at the same moment, on real SQLite
and PostgreSQL: exactly one gets it, the other is told who has it. Commits for
real (two transactions cannot share one rolled-back transaction), and cleans
up after itself."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from bot.db import escalations as repo
from bot.db.migrate import upgrade
from bot.db.models import Escalation
from bot.db.session import make_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def committing(request: pytest.FixtureRequest) -> Iterator[sessionmaker[Session]]:
    url: str = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url"}[request.param])
    upgrade(url)
    engine: Engine = make_engine(url)  # as the staff app makes it (deferred transactions on SQLite)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def case_id(committing: sessionmaker[Session]) -> Iterator[int]:
    conversation = f"claim-race-{uuid.uuid4().hex[:8]}"
    with committing.begin() as session:
        escalation = repo.open_escalation(
            session, conversation_id=conversation, channel="socketio", reason="distress",
            priority="critical", summary="Fare", team="family",
        )  # fmt: skip
        session.flush()
        created = escalation.id
    yield created
    with committing.begin() as session:
        session.execute(delete(Escalation).where(Escalation.conversation_id == conversation))


def take(
    maker: sessionmaker[Session], case: int, staff: str, start: threading.Barrier, results: dict[str, str]
) -> None:
    try:
        start.wait(5)
        with maker.begin() as session:
            claimed = repo.claim(session, case, staff, team="family")
            assert claimed is not None
            results[staff] = "took it" if claimed[1] else "had it"
    except repo.CaseTaken as error:
        results[staff] = str(error)
    except BaseException as error:  # reported to the test's thread
        results[staff] = repr(error)


@pytest.mark.parametrize("attempt", range(5))
def test_two_staff_taking_a_case_at_once_exactly_one_gets_it(
    committing: sessionmaker[Session], case_id: int, attempt: int
) -> None:
    start, results = threading.Barrier(2), {}  # type: ignore[var-annotated]
    threads = [threading.Thread(target=take, args=(committing, case_id, who, start, results)) for who in ("anne", "bo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    winners = [who for who, result in results.items() if result == "took it"]
    assert len(winners) == 1, results
    loser = "bo" if winners == ["anne"] else "anne"
    assert results[loser].startswith(f"Sagen er lige blevet taget af {winners[0]}"), results
    with committing() as session:
        row = session.get(Escalation, case_id)
        assert row is not None and (row.status, row.claimed_by) == ("claimed", winners[0])


def test_the_second_claim_waits_for_the_first_and_then_loses(committing: sessionmaker[Session], case_id: int) -> None:
    first = committing()
    assert repo.claim(first, case_id, "anne", team="family") is not None  # written, not yet committed
    done, results = threading.Event(), {}  # type: ignore[var-annotated]

    def second() -> None:
        take(committing, case_id, "bo", threading.Barrier(1), results)
        done.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not done.wait(0.5)  # it waits for the first transaction instead of reading a stale row
    first.commit()
    first.close()
    thread.join(20)
    assert results["bo"].startswith("Sagen er lige blevet taget af anne"), results


def test_a_claim_of_another_teams_case_or_a_closed_one_changes_nothing(
    committing: sessionmaker[Session], case_id: int
) -> None:
    with committing.begin() as session:
        assert repo.claim(session, case_id, "yasmin", team="youth") is None
        assert repo.claim(session, case_id + 10_000, "anne", team="family") is None
        escalation = session.get(Escalation, case_id)
        assert escalation is not None and escalation.claimed_by is None
        repo.close(session, escalation, "anne", "Ringet op")
        with pytest.raises(repo.EscalationStateError, match="lukket"):
            repo.claim(session, case_id, "anne", team="family")
