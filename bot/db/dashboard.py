"""The dashboard's numbers from the municipal database: escalations by reason
and priority with the time to the first staff answer, enrolments made, and
which conversations got a person. Reads only; never commits.

The time to the first staff answer is `answered_at - created_at`: when a
staff member first answered the citizen in the chat (bot/db/escalations.py,
mark_answered keeps the first). A case closed without a chat answer (a phone
call, a duplicate) has none and counts as not answered."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import CourseEnrollment, CourseTeam, Escalation


@dataclass
class CaseGroup:
    """The cases of one reason or priority."""

    name: str
    cases: int = 0
    minutes_to_answer: list[float] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return len(self.minutes_to_answer)

    @property
    def median_minutes(self) -> float | None:
        return statistics.median(self.minutes_to_answer) if self.minutes_to_answer else None

    @property
    def longest_minutes(self) -> float | None:
        return max(self.minutes_to_answer) if self.minutes_to_answer else None


@dataclass
class EscalationStats:
    total: CaseGroup
    by_reason: list[CaseGroup]
    by_priority: list[CaseGroup]


PRIORITY_ORDER = ("critical", "high", "normal")


def escalation_stats(session: Session, start: datetime, end: datetime, team: str | None = None) -> EscalationStats:
    """Cases created in [start, end), of one team or (None) of all."""
    query = select(Escalation).where(Escalation.created_at >= start, Escalation.created_at < end)
    if team is not None:
        query = query.where(Escalation.team == team)
    total = CaseGroup("I alt")
    reasons: dict[str, CaseGroup] = {}
    priorities: dict[str, CaseGroup] = {}
    for case in session.scalars(query.order_by(Escalation.id)):
        groups = (
            total,
            reasons.setdefault(case.reason, CaseGroup(case.reason)),
            priorities.setdefault(case.priority, CaseGroup(case.priority)),
        )
        minutes = (case.answered_at - case.created_at).total_seconds() / 60 if case.answered_at else None
        for group in groups:
            group.cases += 1
            if minutes is not None:
                group.minutes_to_answer.append(minutes)
    by_reason = sorted(reasons.values(), key=lambda group: (-group.cases, group.name))
    by_priority = sorted(
        priorities.values(),
        key=lambda group: PRIORITY_ORDER.index(group.name) if group.name in PRIORITY_ORDER else len(PRIORITY_ORDER),
    )
    return EscalationStats(total, by_reason, by_priority)


def escalated_conversations(session: Session, conversation_ids: set[str]) -> set[str]:
    """Which of these conversations were ever handed to a person (a case, open or closed, in any team)."""
    found: set[str] = set()
    ids = sorted(conversation_ids)
    for first in range(0, len(ids), 500):
        batch = ids[first : first + 500]
        found |= set(session.scalars(select(Escalation.conversation_id).where(Escalation.conversation_id.in_(batch))))
    return found


@dataclass
class EnrollmentStats:
    total: int
    by_team: Counter[str]
    by_status: Counter[str]


def enrollment_stats(session: Session, start: datetime, end: datetime) -> EnrollmentStats:
    """Enrolments made in [start, end), whatever became of them since (held, cancelled)."""
    rows = session.execute(
        select(CourseTeam.code, CourseEnrollment.status)
        .join(CourseTeam, CourseEnrollment.team_id == CourseTeam.id)
        .where(CourseEnrollment.created_at >= start, CourseEnrollment.created_at < end)
    ).all()
    return EnrollmentStats(len(rows), Counter(code for code, _ in rows), Counter(status for _, status in rows))
