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


@pytest.mark.parametrize(
    ("text", "asked", "born", "expected"),
    [
        # The partner named in English, as the answer to whether one comes along.
        ("his name is Mateusz", "partner_joins", None, {"partner_joins": True, "partner_name": "Mateusz"}),
        ("she's called Olena", "partner_joins", None, {"partner_joins": True, "partner_name": "Olena"}),
        # ... but a son named so is the child, not a partner.
        ("our son, his name is Noah", "partner_joins", True, {}),
        # The partner by role and a name with a capital, inside a longer first message.
        (
            "Hej, min mand Ahmed og jeg venter os og vil gerne på kurset",
            None,
            None,
            {"partner_joins": True, "partner_name": "Ahmed", "child_born": False},
        ),
        (
            "we'd like to join, me and my girlfriend Lena. I'm Tom Berg",
            None,
            None,
            {"parent_name": "Tom Berg", "partner_joins": True, "partner_name": "Lena"},
        ),
        # Lower case after the role is no name ("min kone er træt").
        ("min kone er træt i dag", None, None, {}),
        # A birth told in English as "we had our ...".
        ("we had our daughter on 1 December", None, None, {"child_born": True, "child_date": date(2026, 12, 1)}),
        # A date with its year in the future, to "Er jeres barn født?": a due date, not a birth.
        ("15/05/2027", "child_born", None, {"child_born": False, "child_date": date(2027, 5, 15)}),
        ("1/12/2026", "child_born", None, {"child_born": True, "child_date": date(2026, 12, 1)}),
    ],
)
def test_partners_named_births_told_and_dates_placed_as_people_write_them(
    text: str, asked: str | None, born: bool | None, expected: dict[str, Any]
) -> None:
    assert found(text, asked, born) == expected
