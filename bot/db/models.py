from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class EnrollmentStatus:
    ACTIVE = "active"
    CANCELLED = "cancelled"


class CourseTeam(Base):
    """One Familie med Hjerte group: a place, a start date and a fixed capacity."""

    __tablename__ = "course_teams"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    place: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)

    enrollments: Mapped[list[CourseEnrollment]] = relationship(back_populates="team")

    @property
    def seats_free(self) -> int:
        return self.capacity - self.seats_taken


class CourseEnrollment(Base):
    """One family's enrolment. Holds only what the course needs: no CPR number."""

    __tablename__ = "course_enrollments"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'cancelled')", name="status_known"),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_contact"),
        CheckConstraint("due_date IS NOT NULL OR birth_date IS NOT NULL", name="has_child_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_code: Mapped[str] = mapped_column(String(12), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("course_teams.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.ACTIVE)
    parent_name: Mapped[str] = mapped_column(String(100))
    partner_name: Mapped[str | None] = mapped_column(String(100))
    due_date: Mapped[date | None] = mapped_column(Date)
    birth_date: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    consent_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    team: Mapped[CourseTeam] = relationship(back_populates="enrollments")


class Service(Base):
    """One support service the assistant answers about; staff edit the texts.

    Contact details (phone, address, opening hours) are not here: `unit` names
    the municipal unit in the municipality file, so they are kept in one place.
    """

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(Text)
    read_more: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    price: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(60))
    link: Mapped[str] = mapped_column(String(500))
    next_step: Mapped[str] = mapped_column(Text)
    related: Mapped[str] = mapped_column(String(300), default="")  # topic keys, comma-separated
    sources: Mapped[str] = mapped_column(Text)
    reviewed_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="seed")

    @property
    def related_topics(self) -> list[str]:
        return [topic for topic in self.related.split(",") if topic]


class EscalationStatus:
    NEW = "new"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    CLOSED = "closed"


class Escalation(Base):
    """A conversation handed to staff: why, how urgent, and where it stands."""

    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'claimed', 'answered', 'closed')", name="status_known"),
        CheckConstraint("priority IN ('critical', 'high', 'normal')", name="priority_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=EscalationStatus.NEW, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    contact_wish: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    staff_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
