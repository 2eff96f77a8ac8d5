"""The escalation queue and what staff may do with a case, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from bot.db import escalations as repo
from bot.db.models import Escalation, utcnow


def case(
    session: Session,
    conversation: str,
    priority: str,
    minutes_ago: int,
    reason: str = "request_human",
    channel: str = "socketio",
) -> Escalation:
    row = repo.open_escalation(
        session, conversation_id=conversation, channel=channel, reason=reason, priority=priority, summary=""
    )
    row.created_at = utcnow() - timedelta(minutes=minutes_ago)
    session.flush()
    return row


def test_queue_puts_critical_first_then_the_longest_waiting(session: Session) -> None:
    case(session, "a", "normal", 90)
    case(session, "b", "critical", 5, reason="distress")
    case(session, "c", "high", 30, reason="concern")
    case(session, "d", "critical", 20, reason="distress")
    case(session, "e", "normal", 120, channel="rest")
    assert [row.conversation_id for row in repo.queue(session)] == ["d", "b", "c", "e", "a"]
    assert [row.conversation_id for row in repo.queue(session, reason="distress")] == ["d", "b"]
    assert [row.conversation_id for row in repo.queue(session, channel="rest")] == ["e"]
    assert repo.channels_and_reasons(session) == (["rest", "socketio"], ["concern", "distress", "request_human"])


def test_closed_cases_leave_the_queue_and_a_new_reason_raises_the_priority(session: Session) -> None:
    first = case(session, "a", "normal", 10)
    repo.close(session, first, "anne", "Ringet op")
    assert repo.queue(session) == []
    again = case(session, "a", "normal", 1)
    assert again.id != first.id  # a new case once the old one is closed
    raised = repo.open_escalation(
        session,
        conversation_id="a",
        channel="socketio",
        reason="distress",
        priority="critical",
        summary="express_distress: ...",
    )
    assert raised.id == again.id and (raised.priority, raised.reason) == ("critical", "distress")


def test_claim_answer_close(session: Session) -> None:
    row = case(session, "a", "critical", 3)
    with pytest.raises(repo.EscalationStateError, match="Tag sagen"):
        repo.mark_answered(session, row, "anne")
    assert repo.claim(session, row.id, "anne") == (row, True)
    assert (row.status, row.claimed_by) == ("claimed", "anne") and row.claimed_at is not None
    assert repo.claim(session, row.id, "anne") == (row, False)  # already hers: nothing to tell anyone
    with pytest.raises(repo.CaseTaken, match="lige blevet taget af anne"):
        repo.claim(session, row.id, "bo")
    with pytest.raises(repo.EscalationStateError, match="kun de kan lukke"):
        repo.close(session, row, "bo", "lukket")
    repo.mark_answered(session, row, "anne")
    assert row.status == "answered" and row.answered_at is not None
    with pytest.raises(repo.EscalationStateError, match="hvordan sagen endte"):
        repo.close(session, row, "anne", "  ")
    repo.close(session, row, "anne", "Talt med borgeren, henvist til familierådgivningen")
    assert row.status == "closed" and row.closed_at is not None and not row.is_open
    with pytest.raises(repo.EscalationStateError):
        repo.claim(session, row.id, "anne")


def test_notes_keep_author_kind_and_order(session: Session) -> None:
    row = case(session, "a", "normal", 3)
    repo.add_note(session, row, "anne", "Ringet, intet svar")
    repo.add_note(session, row, "assistenten", "Borgeren bad om sletning", kind="task")
    with pytest.raises(repo.EscalationStateError):
        repo.add_note(session, row, "anne", "   ")
    session.expire_all()
    notes = repo.get_escalation(session, row.id).notes  # type: ignore[union-attr]
    assert [(n.author, n.kind, n.text) for n in notes] == [
        ("anne", "note", "Ringet, intet svar"),
        ("assistenten", "task", "Borgeren bad om sletning"),
    ]


def test_contact_wish_goes_on_the_open_case(session: Session) -> None:
    case(session, "a", "normal", 3)
    assert repo.set_contact_wish(session, "a", "telefon 12 34 56 78").contact_wish == "telefon 12 34 56 78"  # type: ignore[union-attr]
    assert repo.set_contact_wish(session, "nobody", "chat") is None
