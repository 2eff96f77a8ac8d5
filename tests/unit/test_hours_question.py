"""A question about when the municipality can be reached (bot/shared/hours_question.py)."""

from __future__ import annotations

import pytest

from bot.shared.hours_question import OVERRIDDEN, asks_when_open


@pytest.mark.parametrize(
    "text",
    [
        "hvornår har I åbent i morgen?",
        "hvornaar kan man ringe til kommunen",
        "hvad er jeres åbningstider",
        "hvornår kan jeg få fat i en medarbejder",
        "what are your opening hours",
        "hvilke tider kan man træffe sundhedsplejen",
    ],
)
def test_the_hours_asked_as_people_write_it(text: str) -> None:
    assert asks_when_open(text)


@pytest.mark.parametrize(
    "text",
    [
        "hvornår kan I ringe mig op",  # a call asked for: a request for a person
        "kan I ringe til mig",
        "hvornår starter kurset",
        "hvornår kommer sundhedsplejersken",
        "hvad koster det",
    ],
)
def test_other_questions_are_not_about_the_hours(text: str) -> None:
    assert not asks_when_open(text)


def test_service_questions_danger_and_wishes_are_never_overridden() -> None:
    never = {"faq", "express_distress", "possible_distress", "enroll_course", "book_meeting", "report_concern"}
    assert not never & OVERRIDDEN
