"""What one message says for the enrollment form, as formal writers and the
dictating write it (bot/forms): the name given before another answer, a
partner called "hustru" and named as "hendes fornavn er …", and a letter's
salutation or the parent's own age taken for nothing."""

from __future__ import annotations

from tests.unit.test_enrollment_extract import found


def test_the_name_asked_for_then_another_answer_in_the_same_message() -> None:
    assert found("Ida Brun termin 4/3", asked="parent_name")["parent_name"] == "Ida Brun"
    assert "parent_name" not in found("hvorfor skal i vide det", asked="parent_name")
    assert "parent_name" not in found("fortryder. afmeld mig igen", asked="parent_name")


def test_a_partner_by_a_formal_role_and_her_first_name_told_apart() -> None:
    reading = found("Ja, min hustru deltager naturligvis også. Hendes fornavn er Sanne.", asked="partner_joins")
    assert (reading.get("partner_joins"), reading.get("partner_name")) == (True, "Sanne")
    assert "partner_name" not in found("Min hustru og jeg venter vores første barn")  # "Hustru" is no name


def test_a_letters_salutation_and_the_parents_own_age_are_no_name_and_no_birth() -> None:
    text = "Kære kommune. Jeg er 41 år og har lige fået min første. Vi vil gerne deltage i kurset."
    assert {"parent_name", "child_date"}.isdisjoint(found(text, born=True))
