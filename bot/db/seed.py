"""Idempotent seed data: the course teams of the demo municipality."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.db.models import CourseTeam
from bot.db.teams import get_team_by_code

SEED_FILE = Path(__file__).resolve().parent / "seed_teams.yml"


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
