from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.enrollments import (
    MAX_WRONG_LOOKUPS_OVERALL,
    MAX_WRONG_LOOKUPS_PER_CODE,
    MAX_WRONG_LOOKUPS_PER_CONVERSATION,
    OVERALL_WINDOW,
    PER_CONTACT_WINDOW,
    PER_CONVERSATION_WINDOW,
    NewEnrollment,
    TeamFullError,
    cancel_enrollment,
    create_enrollment,
    find_active_for_conversation,
    find_by_reference,
    look_up,
    new_enrollments_with_contact,
)
from bot.db.models import CourseEnrollment, CourseTeam, EnrollmentStatus, utcnow


def make_team(session: Session, capacity: int = 2, code: str = "TEST-1") -> CourseTeam:
    team = CourseTeam(
        code=code, place="Testhuset", address="Testvej 1", start_date=date(2027, 2, 1), capacity=capacity, seats_taken=0
    )
    session.add(team)
    session.flush()
    return team


def new(
    team: CourseTeam, email: str | None = "mette@example.dk", phone: str | None = None, conversation: str = "c1"
) -> NewEnrollment:
    return NewEnrollment(
        team_id=team.id,
        parent_name="Mette Hansen",
        partner_name=None,
        due_date=date(2027, 3, 1),
        birth_date=None,
        email=email,
        phone=phone,
        conversation_id=conversation,
        consent_text="Må vi gemme oplysningerne?",
    )


def test_enrollment_takes_a_seat_and_gets_a_code(session: Session) -> None:
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


def test_find_by_conversation_and_count_by_contact(session: Session) -> None:
    team = make_team(session)
    enrollment = create_enrollment(session, new(team, email=None, phone="+4522334455", conversation="abc"))
    assert new_enrollments_with_contact(session, email=None, phone="+4522334455") == 1
    assert new_enrollments_with_contact(session, email="other@example.dk", phone=None) == 0
    assert new_enrollments_with_contact(session, email=None, phone=None) == 0
    later = utcnow() + PER_CONTACT_WINDOW + timedelta(minutes=1)
    assert new_enrollments_with_contact(session, email=None, phone="+4522334455", now=later) == 0
    assert find_active_for_conversation(session, "abc") is enrollment
    assert find_active_for_conversation(session, "other") is None


def test_a_look_up_needs_the_code_and_the_contact(session: Session) -> None:
    enrollment = create_enrollment(session, new(make_team(session), phone="+4522334455"))
    code = enrollment.reference_code
    assert look_up(session, "c2", code.lower(), email=None, phone="+4522334455").enrollment is enrollment
    assert look_up(session, "c2", code, email="mette@example.dk", phone=None).outcome == "found"
    # A wrong contact and an unknown code are the same miss.
    assert look_up(session, "c2", code, email="someone@example.dk", phone=None) == look_up(
        session, "c2", "FMH-ZZZZZZ", email="mette@example.dk", phone=None
    )
    assert look_up(session, "c2", code, email=None, phone=None).outcome == "no_match"


def test_wrong_tries_are_limited_per_code_and_overall(session: Session) -> None:
    enrollment = create_enrollment(session, new(make_team(session)))
    code = enrollment.reference_code
    for n in range(MAX_WRONG_LOOKUPS_PER_CODE):
        assert look_up(session, f"guess-{n}", code, email=f"guess{n}@example.dk", phone=None).outcome == "no_match"
    # Guessing the contact of a code seen somewhere: even the right one waits now.
    assert look_up(session, "owner", code, email="mette@example.dk", phone=None).outcome == "limited"
    other = create_enrollment(session, new(make_team(session, code="TEST-2"), email="sofie@example.dk"))
    outcomes = [
        look_up(session, f"rotating-{n}", f"FMH-{n:06d}", email="x@example.dk", phone=None).outcome for n in range(100)
    ]
    assert outcomes.count("no_match") == MAX_WRONG_LOOKUPS_OVERALL - MAX_WRONG_LOOKUPS_PER_CODE
    assert look_up(session, "sofie", other.reference_code, email="sofie@example.dk", phone=None).outcome == "limited"
    later = utcnow() + OVERALL_WINDOW + timedelta(seconds=1)
    assert (
        look_up(session, "sofie", other.reference_code, email="sofie@example.dk", phone=None, now=later).outcome
        == "found"
    )


def test_wrong_tries_are_limited_per_conversation_across_look_ups(session: Session) -> None:
    """The limit is in the database: a new look-up in the same conversation does not start again at 0."""
    enrollment = create_enrollment(session, new(make_team(session), email="mette@example.dk"))
    for n in range(MAX_WRONG_LOOKUPS_PER_CONVERSATION):
        assert look_up(session, "one-chat", f"FMH-{n:06d}", email="x@example.dk", phone=None).outcome == "no_match"
    assert (
        look_up(session, "one-chat", enrollment.reference_code, email="mette@example.dk", phone=None).outcome
        == "limited"
    )
    assert (
        look_up(session, "another-chat", enrollment.reference_code, email="mette@example.dk", phone=None).outcome
        == "found"
    )
    later = utcnow() + PER_CONVERSATION_WINDOW + timedelta(seconds=1)
    assert (
        look_up(session, "one-chat", enrollment.reference_code, email="mette@example.dk", phone=None, now=later).outcome
        == "found"
    )


def test_cancel_keeps_the_row_and_frees_the_seat(session: Session) -> None:
    team = make_team(session, capacity=1)
    enrollment = create_enrollment(session, new(team))
    cancel_enrollment(session, enrollment)
    cancel_enrollment(session, enrollment)  # twice is harmless
    session.refresh(team)
    assert team.seats_taken == 0
    row = session.scalars(select(CourseEnrollment).where(CourseEnrollment.id == enrollment.id)).one()
    assert row.status == EnrollmentStatus.CANCELLED and row.cancelled_at is not None
    assert find_active_for_conversation(session, "c1") is None


def test_database_refuses_overbooking_even_without_the_repository(session: Session) -> None:
    team = make_team(session, capacity=1)
    team.seats_taken = 2
    with pytest.raises(IntegrityError):
        session.flush()


def test_enrollment_needs_a_contact(session: Session) -> None:
    team = make_team(session)
    with pytest.raises(IntegrityError):
        create_enrollment(session, new(team, email=None, phone=None))
