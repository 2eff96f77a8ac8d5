"""Which teams the enrollment form offers a family, and reading their choice."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from bot.dates import format_danish_date, parse_danish_date
from bot.db.models import CourseTeam
from bot.db.teams import list_open_teams
from bot.eligibility import team_window
from bot.shared.municipality import CourseFormat

TEAMS_OFFERED = 4
_ORDINALS = {
    "første": 0,
    "foerste": 0,
    "1": 0,
    "1.": 0,
    "anden": 1,
    "andet": 1,
    "2": 1,
    "2.": 1,
    "tredje": 2,
    "3": 2,
    "3.": 2,
    "fjerde": 3,
    "4": 3,
    "4.": 3,
    "sidste": -1,
}


def offered_teams(session: Session, child_date: date, today: date, course: CourseFormat) -> Sequence[CourseTeam]:
    window = team_window(child_date, course)
    earliest = max(window.earliest, today)
    return list_open_teams(session, earliest=earliest, latest=window.latest)[:TEAMS_OFFERED]


def describe_team(team: CourseTeam) -> str:
    return f"{team.place}, start {format_danish_date(team.start_date)}"


def button_title(team: CourseTeam) -> str:
    return f"{describe_team(team)} ({team.seats_free} ledige)"


def choose_team(text: str, teams: Sequence[CourseTeam], today: date) -> CourseTeam | None:
    """Match a typed or clicked choice to one of the offered teams: the code, a
    place name ("nord"), an ordinal ("det første") or a start date."""
    if not teams:
        return None
    lowered = text.lower().strip()
    for team in teams:
        if team.code.lower() in lowered:
            return team
    words = set(re.findall(r"[\wæøå.]+", lowered))
    for word, index in _ORDINALS.items():
        if word in words and (index == -1 or index < len(teams)):
            return teams[index]
    for team in teams:
        place_words = {w for w in re.findall(r"[\wæøå]+", team.place.lower()) if len(w) > 3}
        if place_words & words:
            return team
    wanted = parse_danish_date(text, today)
    if wanted:
        return min(teams, key=lambda t: abs((t.start_date - wanted).days))
    return None
