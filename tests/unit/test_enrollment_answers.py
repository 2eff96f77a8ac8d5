"""Answers to the question asked, as people give them (blind conversation set 2):
the partner named after a yes, alone in other words, the parent's surname that is
no partner, a correction of the partner's name, an English birth, a date alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.unit.test_enrollment_extract import found


@pytest.mark.parametrize(
    ("text", "asked", "born", "expected"),
    [
        ("ja min mand Kasper", "partner_joins", False, {"partner_joins": True, "partner_name": "Kasper"}),
        ("Ja, min kæreste Maria", "partner_joins", False, {"partner_joins": True, "partner_name": "Maria"}),
        ("nej min kæreste arbejder offshore så jeg tager det alene", "partner_joins", False, {"partner_joins": False}),
        ("no, only me", "partner_joins", False, {"partner_joins": False}),
        # The parent's own surname is no partner ("… Christensen og jeg er gravid").
        (
            "hej jeg hedder Emma Christensen og jeg er gravid i uge 24",
            "parent_name",
            None,
            {"parent_name": "Emma Christensen", "child_born": False, "child_date": date(2027, 3, 28)},
        ),
        # A correction of the partner's name is the partner's.
        (
            "nej min kærestes navn er stavet forkert, det er Mikkel med to k",
            "enrollment_confirmed",
            False,
            {"partner_name": "Mikkel"},
        ),
        ("baby born 30. oktober", "child_born", None, {"child_born": True, "child_date": date(2026, 10, 30)}),
        # A date alone, once the form knows the child is on the way, is the due date.
        ("Den 19. april", "partner_joins", False, {"child_date": date(2027, 4, 19)}),
    ],
)
def test_answers_as_people_give_them_to_the_question_asked(
    text: str, asked: str, born: bool | None, expected: dict[str, Any]
) -> None:
    assert found(text, asked, born) == expected
