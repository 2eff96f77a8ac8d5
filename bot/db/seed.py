"""Idempotent seed data: the demo municipality's course teams and the
services catalogue (from version-controlled YAML files next to this module)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.db.models import CourseTeam, Service, ServiceTextChange, utcnow
from bot.db.services import get_service, record_version, texts_of
from bot.db.teams import get_team_by_code
from bot.db.youth import create_profile, get_by_reference
from bot.db.youth_models import EducationEvent, MentorMeeting
from bot.shared.clock import DANISH_TIME

SEED_FILE = Path(__file__).resolve().parent / "seed_teams.yml"
SERVICES_SEED_FILE = Path(__file__).resolve().parent / "seed_services.yml"


def planned_teams(today: date, seed_file: Path = SEED_FILE) -> list[CourseTeam]:
    plan = yaml.safe_load(seed_file.read_text(encoding="utf-8"))
    anchor: date = plan["anchor"]
    horizon = today + timedelta(weeks=plan["horizon_weeks"])
    teams = []
    for place in plan["places"]:
        step = timedelta(weeks=place["every_weeks"])
        start = anchor
        while start < horizon:
            if start >= today:
                teams.append(
                    CourseTeam(
                        code=f"{place['code']}-{start.isoformat()}",
                        place=place["place"],
                        address=place["address"],
                        start_date=start,
                        capacity=place["capacity"],
                        seats_taken=0,
                    )
                )
            start += step
    return teams


def seed_teams(session: Session, today: date) -> int:
    """Add the planned teams that are missing; returns how many were added."""
    added = 0
    for team in planned_teams(today):
        if get_team_by_code(session, team.code) is None:
            session.add(team)
            added += 1
    session.flush()
    return added


def planned_services(seed_file: Path = SERVICES_SEED_FILE) -> list[Service]:
    entries = yaml.safe_load(seed_file.read_text(encoding="utf-8"))["services"]
    return [
        Service(
            topic=entry["topic"],
            title=entry["title"],
            answer=entry["answer"].strip(),
            read_more=entry["read_more"].strip(),
            audience=entry["audience"].strip(),
            price=entry["price"].strip(),
            unit=entry["unit"],
            link=entry["link"],
            next_step=entry["next_step"].strip(),
            related=",".join(entry.get("related") or []),
            sources="\n".join(entry["sources"]),
            reviewed_on=entry["reviewed_on"],
            updated_at=utcnow(),
            updated_by="seed",
        )
        for entry in entries
    ]


def seed_services(session: Session, *, overwrite: bool = False) -> int:
    """Add the topics that are missing. Staff edits are kept unless
    `overwrite`, which resets every topic to the file. Returns rows written."""
    written = 0
    for planned in planned_services():
        existing = get_service(session, planned.topic)
        if existing is None:
            session.add(planned)
        elif overwrite:
            before = texts_of(existing)
            for column in Service.__table__.columns.keys():  # noqa: SIM118 (a ColumnCollection, not a dict)
                if column != "id":
                    setattr(existing, column, getattr(planned, column))
            if texts_of(existing) != before:
                record_version(session, existing, before, editor="seed", change=ServiceTextChange.SEED)
        else:
            continue
        written += 1
    session.flush()
    return written


YOUTH_SEED_FILE = Path(__file__).resolve().parent / "seed_youth.yml"


def seed_youth(session: Session, today: date, seed_file: Path = YOUTH_SEED_FILE) -> int:
    """Add the demo young people that are missing, with their meetings and education; returns how many."""
    added = 0
    for entry in yaml.safe_load(seed_file.read_text(encoding="utf-8"))["profiles"]:
        if get_by_reference(session, entry["reference"]) is not None:
            continue
        profile = create_profile(
            session,
            reference=entry["reference"],
            first_name=entry["first_name"],
            mentor_name=entry["mentor_name"],
            mentor_contact=entry["mentor_contact"],
            aftercare_ends_on=today + timedelta(days=entry["aftercare_ends_in_days"]),
            programme=entry.get("programme"),
            institution=entry.get("institution"),
            plan_next_step=entry.get("plan_next_step", ""),
        )
        for meeting in entry["meetings"]:
            starts = datetime.combine(
                today + timedelta(days=meeting["days"]), time(meeting["hour"]), tzinfo=DANISH_TIME
            )
            session.add(
                MentorMeeting(
                    profile_id=profile.id,
                    status=meeting["status"],
                    starts_at=starts,
                    with_whom=profile.mentor_name,
                    rating=meeting.get("rating"),
                    how_it_went=meeting.get("how_it_went"),
                    changed_by="seed",
                    changed_at=utcnow(),
                )
            )
        for event in entry["education"]:
            session.add(
                EducationEvent(
                    profile_id=profile.id,
                    kind=event["kind"],
                    programme=event["programme"],
                    institution=event.get("institution"),
                    occurred_on=today + timedelta(days=event["days"]),
                    recorded_by="seed",
                )
            )
        added += 1
    session.flush()
    return added
