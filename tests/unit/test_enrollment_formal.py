"""What one message says for the enrollment form, as formal writers and the
dictating write it (bot/forms): the name given before another answer, a
partner called "hustru" and named as "hendes fornavn er …", and a letter's
salutation or the parent's own age taken for nothing."""

from __future__ import annotations

from bot.forms.enrollment_extract import read_enrollment
from tests.unit.test_enrollment_extract import TODAY, found


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


def test_our_first_one_born_on_a_day_is_a_birth_and_its_date() -> None:
    reading = found("hej vi fik vores første d. 17 januar og vil gerne med på forældrekurset", born=None)
    assert reading.get("child_born") is True and reading.get("child_date") is not None
    assert "child_born" not in found("vi fik vores første gang besøg af sundhedsplejen", born=None)


def test_a_name_spelt_out_at_the_summary_is_that_name_corrected() -> None:
    reading = read_enrollment("nej hov min kæreste staves Mathias med h", TODAY, asked="enrollment_confirmed")
    assert (reading.partner_name, reading.correction) == ("Mathias", True)
    spelt = read_enrollment("min kærestes navn staves Jonah", TODAY, asked="enrollment_confirmed")
    assert (spelt.partner_name, spelt.correction) == ("Jonah", True)  # spelling out is correcting
    assert found("mit navn staves Camilla med C", asked="enrollment_confirmed").get("parent_name") == "Camilla"


def test_a_grandmother_writing_for_her_daughter_gives_the_daughters_name_and_no_due_date_from_today() -> None:
    text = (
        "Goddag. Jeg skriver på vegne af min datter, Line Kjærgaard, som venter sit første barn. "
        "Hun vil meget gerne tilmeldes Familie med Hjerte, men hun har ikke selv overskud til at skrive i dag."
    )
    reading = found(text)
    assert reading.get("parent_name") == "Line Kjærgaard" and reading.get("child_born") is False
    assert "child_date" not in reading  # "i dag" is when she writes, never a due date


def test_arrived_yesterday_is_a_birth_and_a_partner_after_a_full_stop_or_as_the_childs_father() -> None:
    assert found("hej! vores lille pige kom i går 🥰 vi vil gerne tilmelde os")["child_born"] is True
    assert "child_born" not in found("vi kom i går hjem fra sygehuset")
    assert found("Ja, min kone. Agnieszka.", asked="partner_joins")["partner_name"] == "Agnieszka"
    assert found("ja hendes far Sebastian", asked="partner_joins")["partner_name"] == "Sebastian"
