from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.enrollments import (
    NewEnrollment,
    TeamFullError,
    cancel_enrollment,
    create_enrollment,
    find_active_by_contact,
    find_active_for_conversation,
    find_by_reference,
)
from bot.db.models import CourseEnrollment, CourseTeam, EnrollmentStatus


def make_team(session: Session, capacity: int = 2, code: str = "TEST-1") -> CourseTeam:
    team = CourseTeam(code=code, place="Testhuset", address="Testvej 1", start_date=date(2027, 2, 1),
                      capacity=capacity, seats_taken=0)
    session.add(team)
    session.flush()
    return team


def new(team: CourseTeam, email: str | None = "mette@example.dk", phone: str | None = None,
        conversation: str = "c1") -> NewEnrollment:
    return NewEnrollment(team_id=team.id, parent_name="Mette Hansen", partner_name=None, due_date=date(2027, 3, 1),
                         birth_date=None, email=email, phone=phone, conversation_id=conversation,
                         consent_text="Må vi gemme oplysningerne?")


def test_enrolment_takes_a_seat_and_gets_a_code(session: Session) -> None:
    team = make_team(session)
    enrollment = create_enrollment(session, new(team))
    session.refresh(team)
    assert team.seats_taken == 1
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.reference_code.startswith("FMH-") and len(enrollment.reference_code) == 9
    assert find_by_reference(session, enrollment.reference_code.lower()) is enrollment


def test_full_team_refuses(session: Session) -> None:
    team = make_team(session, capacity=1)
    create_enrollment(session, new(team, email="a@example.dk"))
    with pytest.raises(TeamFullError):
        create_enrollment(session, new(team, email="b@example.dk"))
    session.refresh(team)
    assert team.seats_taken == 1


def test_find_by_contact_and_conversation(session: Session) -> None:
    team = make_team(session)
    enrollment = create_enrollment(session, new(team, email=None, phone="+4522334455", conversation="abc"))
    assert find_active_by_contact(session, email=None, phone="+4522334455") is enrollment
    assert find_active_by_contact(session, email="other@example.dk", phone=None) is None
    assert find_active_by_contact(session, email=None, phone=None) is None
    assert find_active_for_conversation(session, "abc") is enrollment
    assert find_active_for_conversation(session, "other") is None


def test_cancel_keeps_the_row_and_frees_the_seat(session: Session) -> None:
    team = make_team(session, capacity=1)
    enrollment = create_enrollment(session, new(team))
    cancel_enrollment(session, enrollment)
    cancel_enrollment(session, enrollment)  # twice is harmless
    session.refresh(team)
    assert team.seats_taken == 0
    row = session.scalars(select(CourseEnrollment).where(CourseEnrollment.id == enrollment.id)).one()
    assert row.status == EnrollmentStatus.CANCELLED and row.cancelled_at is not None
    assert find_active_by_contact(session, email="mette@example.dk", phone=None) is None


def test_database_refuses_overbooking_even_without_the_repository(session: Session) -> None:
    team = make_team(session, capacity=1)
    team.seats_taken = 2
    with pytest.raises(IntegrityError):
        session.flush()


def test_enrolment_needs_a_contact(session: Session) -> None:
    team = make_team(session)
    with pytest.raises(IntegrityError):
        create_enrollment(session, new(team, email=None, phone=None))
