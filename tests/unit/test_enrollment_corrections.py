"""Corrections in an enrolment message (bot/forms/enrollment_extract.py): a
date, a contact or the partner's name corrected, in the same message as
another answer or at the summary."""

from __future__ import annotations

from datetime import date, timedelta

from bot.forms.enrollment_extract import EnrollmentReading, read_enrollment
from tests.unit.test_enrollment_extract import TODAY


def test_corrections() -> None:
    date_fixed = read_enrollment("nej, det er 4. april", TODAY, asked="enrollment_confirmed", born=False)
    assert date_fixed == EnrollmentReading(child_date=date(2027, 4, 4), correction=True)
    email_fixed = read_enrollment("ret e-mailen til x@y.dk", TODAY, asked="enrollment_confirmed")
    assert email_fixed == EnrollmentReading(email="x@y.dk", correction=True)
    partner_fixed = read_enrollment("min kæreste hedder Jonas ikke Jonah", TODAY, asked="enrollment_confirmed")
    assert partner_fixed == EnrollmentReading(partner_joins=True, partner_name="Jonas", correction=True)
    by_pronoun = read_enrollment("nej, hun hedder Signe ikke Signa 😅", TODAY, asked="enrollment_confirmed")
    assert by_pronoun == EnrollmentReading(partner_joins=True, partner_name="Signe", correction=True)
    born_fixed = read_enrollment("undskyld, hun blev født 2. november", TODAY, born=False)
    assert born_fixed == EnrollmentReading(child_born=True, child_date=date(2026, 11, 2), correction=True)


def test_a_birth_by_its_weekday_and_a_contact_corrected_in_the_same_message() -> None:
    born = read_enrollment("vores datter kom til verden i lørdags 🥳", TODAY, asked="child_born")
    assert (born.child_born, born.child_date) == (True, TODAY - timedelta(days=(TODAY.weekday() - 5) % 7 or 7))
    phone = read_enrollment("41 22 33 44... nej vent, 41 22 33 45 sorry", TODAY, asked="contact")
    assert phone.phone == "+4541223345"
    email = read_enrollment("ida@eksempel.dk hov nej ida.b@eksempel.dk", TODAY, asked="contact")
    assert email.email == "ida.b@eksempel.dk"


def test_the_partners_name_first_then_a_correction_of_the_due_date() -> None:
    reading = read_enrollment(
        "Mikkel. og undskyld, terminen er 9. maj ikke 19", TODAY, asked="partner_joins", born=False
    )
    assert (reading.partner_joins, reading.partner_name, reading.child_date) == (True, "Mikkel", date(2027, 5, 9))


def test_a_partner_is_someone_and_no_partner_said_in_few_words() -> None:
    def found(text: str, asked: str) -> dict[str, object]:
        return read_enrollment(text, TODAY, asked=asked, born=False).found()

    assert found("min samlever er frederik", "partner_joins") == {"partner_joins": True, "partner_name": "Frederik"}
    assert found("Sara Holm, my boyfriend is Tom", "parent_name") == {
        "parent_name": "Sara Holm",
        "partner_joins": True,
        "partner_name": "Tom",
    }
    assert found("min kone er syg", "partner_joins") == {}  # a word about the partner, no name
    assert found("nej, barnets far er ikk i billedet", "partner_joins") == {"partner_joins": False}
    assert found("ingen.", "partner_joins") == {"partner_joins": False}
    assert found("ingen anelse hvad du mener", "partner_joins") == {}


def test_an_exclamation_before_a_corrected_contact_is_no_name() -> None:
    fixed = read_enrollment("ups tastefejl, mailen er sara.h@example.dk", TODAY, asked="enrollment_confirmed")
    assert fixed.parent_name is None and fixed.email == "sara.h@example.dk"
