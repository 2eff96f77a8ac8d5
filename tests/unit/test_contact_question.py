"""A question about where to call or write (bot/shared/contact_question.py)."""

from __future__ import annotations

import pytest

from bot.shared.contact_question import OVERRIDDEN, asks_where_to_call


@pytest.mark.parametrize(
    "text",
    [
        "okay, men hvor ringer jeg hen hvis jeg vil vide mere",
        "hvor kan vi henvende os",
        "hvem skal jeg skrive til om det",
        "who do I call about this?",
    ],
)
def test_where_to_call_as_people_write_it(text: str) -> None:
    assert asks_where_to_call(text)


@pytest.mark.parametrize(
    "text",
    [
        "kan en medarbejder ringe til mig",  # a call asked for: a person
        "hvor ligger sundhedsplejen",  # where a place is
        "jeg ringer i morgen",
        "hvornår kan man ringe til jer",  # the hours
    ],
)
def test_other_questions_are_not_where_to_call(text: str) -> None:
    assert not asks_where_to_call(text)


def test_never_over_a_service_question_a_person_or_danger() -> None:
    assert not OVERRIDDEN & {"faq", "request_human", "express_distress", "possible_distress", "ask_opening_hours"}
