"""The answer to "Deltager der en partner …?" in the enrolment form (real
domain, the form's own extraction): a name alone is the yes and the name, a
doubt is no name, and a sentence is never stored as one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.actions.test_enrollment_extraction import TODAY, next_question, run_form


@pytest.mark.parametrize(
    ("answer", "partner"), [("Freja", "Freja"), ("freja", "Freja"), ("Emil Hansen", "Emil Hansen")]
)
def test_a_name_alone_answering_whether_a_partner_joins_is_the_partner(
    domain: dict[str, Any], answer: str, partner: str
) -> None:
    slots = {"parent_name": "Emil Skov", "child_born": False, "child_date": (TODAY + timedelta(days=60)).isoformat()}
    _, said, after = run_form(domain, answer, "partner_joins", slots)
    assert (after["partner_joins"], after["partner_name"]) == (True, partner), said
    assert next_question(after) == "contact"


@pytest.mark.parametrize("answer", ["måske", "tja", "ved ikke"])
def test_a_doubt_is_no_partners_name(domain: dict[str, Any], answer: str) -> None:
    slots = {"parent_name": "Emil Skov", "child_born": False, "child_date": (TODAY + timedelta(days=60)).isoformat()}
    _, _, after = run_form(domain, answer, "partner_joins", slots)
    assert after.get("partner_name") is None


def test_a_sentence_answering_whether_a_partner_joins_is_never_the_partners_name(domain: dict[str, Any]) -> None:
    """ "my husband is called Lars" was stored whole as the partner's name."""
    slots = {"parent_name": "Emily Carter", "child_born": False, "child_date": (TODAY + timedelta(days=60)).isoformat()}
    _, _, after = run_form(domain, "my husband is called Lars", "partner_joins", slots)
    assert (after["partner_joins"], after["partner_name"]) == (True, "Lars")
    _, _, after = run_form(domain, "hmm the father works abroad most of the year", "partner_joins", slots)
    assert after.get("partner_name") is None
