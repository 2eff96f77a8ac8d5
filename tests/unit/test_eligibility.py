from datetime import date

import pytest

from bot.eligibility import DateProblem, check_child_date, team_window
from bot.shared.municipality import CourseFormat

TODAY = date(2026, 11, 24)
LAUNCH = CourseFormat(
    name="Familie med Hjerte", start_pregnancy_week=22, end_child_age_months=15, meetings=14, group_size=10
)
HOLSTEBRO_NOW = CourseFormat(
    name="Familie med Hjerte", start_pregnancy_week=26, end_child_age_months=18, meetings=14, group_size=10
)


@pytest.mark.parametrize(
    ("born", "child_date", "problem"),
    [
        (False, date(2027, 3, 1), None),
        (False, TODAY, None),
        (False, date(2026, 11, 23), DateProblem.DUE_IN_PAST),
        (False, date(2027, 9, 14), None),  # 42 weeks ahead: still possible
        (False, date(2027, 9, 16), DateProblem.DUE_TOO_FAR),
        (False, date(2030, 1, 1), DateProblem.DUE_TOO_FAR),
        (True, date(2026, 11, 25), DateProblem.BIRTH_IN_FUTURE),
        (True, date(2026, 6, 1), None),
        (True, date(2025, 8, 25), None),  # 14 months and 30 days
        (True, date(2025, 8, 24), DateProblem.CHILD_TOO_OLD),  # exactly 15 months
        (True, date(2020, 1, 1), DateProblem.CHILD_TOO_OLD),
    ],
)
def test_child_dates(born: bool, child_date: date, problem: DateProblem | None) -> None:
    assert check_child_date(born, child_date, TODAY, LAUNCH) == problem


def test_window_from_week_22_to_15_months() -> None:
    window = team_window(date(2027, 5, 1), LAUNCH)
    assert window.earliest == date(2026, 12, 26)  # 18 weeks before the due date = week 22
    assert window.latest == date(2028, 8, 1)
    assert window.too_early_today(TODAY)


def test_window_follows_the_municipality_file() -> None:
    window = team_window(date(2027, 5, 1), HOLSTEBRO_NOW)
    assert window.earliest == date(2027, 1, 23)  # week 26
    assert window.latest == date(2028, 11, 1)
    assert check_child_date(True, date(2025, 8, 24), TODAY, HOLSTEBRO_NOW) is None
