from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UtcDateTime
from bot.shared.clock import utc_now

# Column defaults and repositories call it by this name (bot/shared/clock.py).
utcnow = utc_now


class EnrollmentStatus:
    ACTIVE = "active"
    # Made past the per-contact limit: no seat taken until staff have checked it.
    HELD = "held"
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
    """One family's enrollment. Holds only what the course needs: no CPR number."""

    __tablename__ = "course_enrollments"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'held', 'cancelled')", name="status_known"),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_contact"),
        CheckConstraint("due_date IS NOT NULL OR birth_date IS NOT NULL", name="has_child_date"),
        # One enrollment per message: a yes sent again, after its Rasa server died
        # having written the row but not the turn, is not written twice.
        UniqueConstraint("conversation_id", "message_id"),
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
    # The id of the message whose yes wrote it (the client's, bot/rasa_server/resend.py)
    message_id: Mapped[str | None] = mapped_column(String(64))
    consent_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    team: Mapped[CourseTeam] = relationship(back_populates="enrollments")


class EnrollmentLookupAttempt(Base):
    """A wrong code or contact typed to check or cancel an enrollment (its limits)."""

    __tablename__ = "enrollment_lookup_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_code: Mapped[str] = mapped_column(String(12), index=True)
    conversation_id: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


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
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="seed")

    @property
    def related_topics(self) -> list[str]:
        return [topic for topic in self.related.split(",") if topic]


class ServiceTextChange:
    EDIT = "edit"
    REVERT = "revert"
    SEED = "seed"  # `services load --overwrite`


class ServiceTextVersion(Base):
    """One change of a service's texts, with every editable field before and
    after it (bot/db/services.py EDITABLE_FIELDS): the history staff see, and
    what a revert restores. The audit log names the version, not the text."""

    __tablename__ = "service_text_versions"
    __table_args__ = (CheckConstraint("change IN ('edit', 'revert', 'seed')", name="change_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    change: Mapped[str] = mapped_column(String(10), default=ServiceTextChange.EDIT)
    # For a revert: the version whose "before" was restored.
    reverted_from: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, str]] = mapped_column(JSON)
    after: Mapped[dict[str, str]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def changed_fields(self) -> list[str]:
        return [field for field in self.after if self.after.get(field) != self.before.get(field)]


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
        # One open case per conversation, held by the database: two danger
        # messages at the same moment cannot queue the conversation twice.
        Index(
            "uq_escalations_open_conversation_id",
            "conversation_id",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(20))
    # Which team's queue it is in (StaffTeam).
    team: Mapped[str] = mapped_column(String(20), default="family", index=True)
    status: Mapped[str] = mapped_column(String(20), default=EscalationStatus.NEW, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    contact_wish: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    notes: Mapped[list[EscalationNote]] = relationship(
        back_populates="escalation", order_by="EscalationNote.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status != EscalationStatus.CLOSED


class NoteKind:
    NOTE = "note"
    TASK = "task"  # something staff must do, e.g. judge a citizen's deletion request


class EscalationNote(Base):
    """A staff note on an escalation, or a task the assistant left for staff."""

    __tablename__ = "escalation_notes"
    __table_args__ = (CheckConstraint("kind IN ('note', 'task')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default=NoteKind.NOTE)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    escalation: Mapped[Escalation] = relationship(back_populates="notes")


class StaffRole:
    STAFF = "staff"
    # Works their team's cases like staff, and sees the dashboard (bot/staff/dashboard.py) for their team.
    TEAM_LEAD = "teamlead"
    # Staff who also edit the service texts the assistant answers with.
    EDITOR = "editor"
    ADMIN = "admin"
    ALL = (STAFF, TEAM_LEAD, EDITOR, ADMIN)


class StaffTeam:
    """Who works a case: the course staff, the family team (health visitors,
    family counselling), or aftercare (young people). Admins see every team's."""

    COURSE = "course"
    FAMILY = "family"
    YOUTH = "youth"
    ALL = (COURSE, FAMILY, YOUTH)


class StaffUser(Base):
    """A staff account for the staff app; created from the CLI."""

    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint("role IN ('staff', 'teamlead', 'editor', 'admin')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10), default=StaffRole.STAFF)
    team: Mapped[str] = mapped_column(String(20), default=StaffTeam.FAMILY)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    @property
    def is_team_lead(self) -> bool:
        return self.role == StaffRole.TEAM_LEAD

    @property
    def may_edit_texts(self) -> bool:
        return self.role in (StaffRole.EDITOR, StaffRole.ADMIN)

    @property
    def role_name(self) -> str:
        names = {StaffRole.ADMIN: "administrator", StaffRole.TEAM_LEAD: "teamleder", StaffRole.EDITOR: "redaktør"}
        return names.get(self.role, "medarbejder")


class StaffSession(Base):
    """A signed-in staff member's session, kept on the server: logging out or
    closing the account deletes it, and the cookie stops working at once.
    Only a hash of the session key is stored; the cookie holds the key."""

    __tablename__ = "staff_sessions"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """Who read or changed what, when: every transcript view and every change.
    Holds ids and short descriptions, never message text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    client: Mapped[str] = mapped_column(String(64), default="")


class ReviewTag(Base):
    """A staff verdict on one user message ("misforstået", "godt svar"), to
    improve the NLU; exported as training data for review."""

    __tablename__ = "review_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    message_at: Mapped[float] = mapped_column(Float)
    message_text: Mapped[str] = mapped_column(Text)
    predicted_intent: Mapped[str] = mapped_column(String(100), default="")
    confidence: Mapped[float | None] = mapped_column(Float)
    tag: Mapped[str] = mapped_column(String(40))
    correct_intent: Mapped[str | None] = mapped_column(String(100))
    tagged_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ConsentAnswer:
    GIVEN = "given"
    DECLINED = "declined"


class ConsentRecord(Base):
    """A consent asked for before personal data is stored: for what, the
    words the person saw, their answer and when. Kept as long as what it
    covers (`subject` names it, e.g. an enrollment's reference code)."""

    __tablename__ = "consent_records"
    __table_args__ = (CheckConstraint("answer IN ('given', 'declined')", name="answer_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    text_shown: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str | None] = mapped_column(String(60), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# The young people's models live in bot/db/youth_models.py. Importing them at
# the end of this module means that whoever imports the models (every
# repository does, if only for utcnow) has every table on Base.metadata and
# every model in the one registry, so a relationship("Name") from either
# module to the other resolves. youth_models imports bot/db/base.py, never
# this module, so there is no import cycle. Alembic's env.py imports both.
from bot.db import satisfaction_models, sms_models, youth_models  # noqa: E402, F401
