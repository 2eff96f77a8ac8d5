"""The satisfaction question after a reached goal: the offers (a random
nonce, stored only as its SHA-256, single use, for a few days) and the
answers (goal, score 1-5, the CPR-masked comment, the day and the channel).
Neither holds a conversation id, a name or a time of day: an answer cannot
be traced back to a conversation.

bot/db/models.py imports this module at its end, like youth_models."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.shared.clock import utc_now

GOALS = ("enrollment", "staff_case", "youth_change")


class SatisfactionOffer(Base):
    __tablename__ = "satisfaction_offers"
    __table_args__ = (CheckConstraint("goal IN ('enrollment', 'staff_case', 'youth_change')", name="goal_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    goal: Mapped[str] = mapped_column(String(20))
    # The team whose work it rates (the dashboard shows a team lead their team's comments only).
    team: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SatisfactionAnswer(Base):
    __tablename__ = "satisfaction_answers"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        CheckConstraint("goal IN ('enrollment', 'staff_case', 'youth_change')", name="goal_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)  # CPR numbers masked
    day: Mapped[date] = mapped_column(Date, index=True)  # the Danish date, no time of day
    channel: Mapped[str] = mapped_column(String(20))
