"""Who may join Familie med Hjerte, and which teams fit a family.

The window comes from the municipality file: from pregnancy week
``start_pregnancy_week`` until the child is ``end_child_age_months`` old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from dateutil.relativedelta import relativedelta

from bot.shared.municipality import CourseFormat

PREGNANCY_WEEKS = 40
LONGEST_PREGNANCY = timedelta(weeks=42)


class DateProblem(str, Enum):
    DUE_IN_PAST = "due_in_past"
    DUE_TOO_FAR = "due_too_far"
    BIRTH_IN_FUTURE = "birth_in_future"
    CHILD_TOO_OLD = "child_too_old"


def check_child_date(born: bool, child_date: date, today: date, course: CourseFormat) -> DateProblem | None:
    if born:
        if child_date > today:
            return DateProblem.BIRTH_IN_FUTURE
        if today >= child_date + relativedelta(months=course.end_child_age_months):
            return DateProblem.CHILD_TOO_OLD
        return None
    if child_date < today:
        return DateProblem.DUE_IN_PAST
    if child_date > today + LONGEST_PREGNANCY:
        return DateProblem.DUE_TOO_FAR
    return None


@dataclass(frozen=True)
class TeamWindow:
    """Team start dates that fit the family: earliest <= start < latest."""

    earliest: date
    latest: date

    def too_early_today(self, today: date) -> bool:
        return self.earliest > today


def team_window(child_date: date, course: CourseFormat) -> TeamWindow:
    """child_date is the due date, or the birth date once the baby is born."""
    weeks_before_due = PREGNANCY_WEEKS - course.start_pregnancy_week
    return TeamWindow(
        earliest=child_date - timedelta(weeks=weeks_before_due),
        latest=child_date + relativedelta(months=course.end_child_age_months),
    )
