"""Reading an enrollment message as parents write it: several answers in
any order, typos, no æ/ø/å, emoji, questions that answer nothing, and
corrections. A fixed today, so every date is known."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.forms.enrollment_extract import read_enrollment

TODAY = date(2026, 12, 6)


def found(text: str, asked: str | None = None, born: bool | None = None) -> dict[str, Any]:
    return read_enrollment(text, TODAY, asked=asked, born=born).found()


def test_the_issues_message_answers_five_questions() -> None:
    assert found("Maja Nielsen, termin 3. april, min kæreste Jonas kommer med, maja@x.dk") == {
        "parent_name": "Maja Nielsen",
        "child_born": False,
        "child_date": date(2027, 4, 3),
        "partner_joins": True,
        "partner_name": "Jonas",
        "email": "maja@x.dk",
    }


@pytest.mark.parametrize(
    "text",
    [
        "maja@x.dk, min kæreste Jonas kommer med, termin 3. april, Maja Nielsen",
        "min kaereste Jonas kommer med 😊 termin 3 april. jeg hedder Maja Nielsen og mailen er maja@x.dk",
        "Hej! 👋 Jeg hedder maja nielsen, vi har termin d. 3/4, min kæreste jonas kommer også med - maja@x.dk",
        "Maja Nielsen,termin 03.04.2027,min kærste Jonas kommer osse med,maja@x.dk 🙏",
        "mit navn er Maja Nielsen ❤️ terminen er 3. april ❤️ Jonas kommer med ❤️ skriv til maja@x.dk",
    ],
)
def test_the_same_answers_in_any_order_and_spelling(text: str) -> None:
    reading = found(text)
    assert reading["parent_name"] == "Maja Nielsen"
    assert (reading["child_born"], reading["child_date"]) == (False, date(2027, 4, 3))
    assert (reading["partner_joins"], reading["partner_name"]) == (True, "Jonas")
    assert reading["email"] == "maja@x.dk"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("ring på 22 33 44 55", "+4522334455"),
        ("mit nr er +45 22334455", "+4522334455"),
        ("tlf: 2233-4455, maja@x.dk", "+4522334455"),
        ("0045 22 33 44 55", "+4522334455"),
    ],
)
def test_danish_phone_numbers(text: str, phone: str) -> None:
    assert found(text)["phone"] == phone


def test_a_date_is_not_taken_for_a_phone_number() -> None:
    assert found("termin 12.05.2027") == {"child_born": False, "child_date": date(2027, 5, 12)}


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("termin 3. april", date(2027, 4, 3)),
        ("vi har termin d. 3/4", date(2027, 4, 3)),
        ("terminsdato 3 april 2027", date(2027, 4, 3)),
        ("forventet 3. apr", date(2027, 4, 3)),
        ("vi venter en lille pige i april 🎀", date(2027, 4, 15)),
        ("vi venter os i april", date(2027, 4, 15)),
        ("jeg er 24 uger henne", date(2027, 3, 28)),
        ("gravid i uge 24", date(2027, 3, 28)),
        ("tremin 3 april", date(2027, 4, 3)),
        ("vi har termin i uge 14", date(2027, 4, 5)),
        # A month named alone with its day written apart: the day wins over the month's middle.
        ("terminen er sidst i maj, den 27.", date(2027, 5, 27)),
        ("vi venter hende i starten af marts, d 2", date(2027, 3, 2)),
        ("vi venter ham i juni, han er den 3 uger forsinket", date(2027, 6, 15)),  # a count, no day
    ],
)
def test_due_dates(text: str, due: date) -> None:
    assert (found(text)["child_born"], found(text)["child_date"]) == (False, due)


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("hun blev født 2. november", date(2026, 11, 2)),
        ("han er foedt d. 2/11", date(2026, 11, 2)),
        ("vores søn kom til verden 2 nov", date(2026, 11, 2)),
        ("hun er 3 måneder", date(2026, 9, 6)),
        ("han er 3 mdr gammel", date(2026, 9, 6)),
        ("hun er 6 uger", date(2026, 10, 25)),
    ],
)
def test_birth_dates(text: str, born: date) -> None:
    reading = found(text)
    assert (reading["child_born"], reading["child_date"]) == (True, born)


def test_born_or_not_without_a_date() -> None:
    assert found("hun er født") == {"child_born": True}
    assert found("nej hun er ikke født endnu") == {"child_born": False}
    assert found("vi venter stadig") == {"child_born": False}


def test_julemaaned_and_names_like_maja_are_not_months() -> None:
    assert "child_date" not in found("vi venter, termin omkring jul")
    assert found("jeg hedder Maja, vi venter") == {"parent_name": "Maja", "child_born": False}


@pytest.mark.parametrize(
    ("text", "joins", "name"),
    [
        ("min kæreste Jonas kommer også med", True, "Jonas"),
        ("min mand kommer med", True, None),
        ("min kone Sara deltager også", True, "Sara"),
        ("barnets far Ali kommer med", True, "Ali"),
        ("min samlever kommer osse med", True, None),
        ("min sambo jonas kommer med", True, "Jonas"),
        ("min mand Omar vil også gerne være med", True, "Omar"),
        ("min mand Yusuf", True, "Yusuf"),
        ("my husband is called Lars", True, "Lars"),
        ("my wife's name is Anna", True, "Anna"),
        ("Dmytro, han er min mand", True, "Dmytro"),
        ("kæresten hedder Kasper, mit nr er 31 45 77 02", True, "Kasper"),
        ("min kone og jeg venter vores første barn, jeg hedder Jonas Brandt og hun hedder Line", True, "Line"),
        ("min kæreste vil gerne komme med", True, None),
        ("Jonas og jeg", True, "Jonas"),
        ("mig og min kæreste", True, None),
        ("vi er to", True, None),
        ("vi kommer begge to", True, None),
        ("Jonas kommer med", True, "Jonas"),
        ("han kommer med", True, None),
        ("nej, jeg er alene", False, None),
        ("jeg kommer alene", False, None),
        ("ingen partner", False, None),
        ("far er ikke med", False, None),
        ("min kæreste kan ikke komme med", False, None),
        ("jeg er alenemor", False, None),
        ("kun mig", False, None),
    ],
)
def test_partners(text: str, joins: bool, name: str | None) -> None:
    reading = found(text, asked="partner_joins")
    assert (reading.get("partner_joins"), reading.get("partner_name")) == (joins, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("jeg hedder Line Bak og han hedder Thomas", "Thomas"),
        ("Min mand hedder Karim og deltager også", "Karim"),
        ("min kæreste Emil kommer også", "Emil"),
        ("hun hedder Signe, vi har termin i juni", "Signe"),
        # from a co-mother: the partner named as the one who is pregnant, and coming
        ("Amira er den gravide, termin i november og hun kommer også med", "Amira"),
    ],
)
def test_a_partner_named_and_coming_in_other_words(text: str, name: str) -> None:
    reading = found(text)
    assert (reading.get("partner_joins"), reading.get("partner_name")) == (True, name)


def test_a_child_named_is_not_the_partner() -> None:
    assert "partner_name" not in found("vi har fået en pige, hun hedder Alma")
    assert "partner_joins" not in found("min kæreste hedder Emil men kan ikke komme med")


def test_parents_who_write_english() -> None:
    assert found("I’m Ella Stone, my husband Noah is joining too. Due date 9 April") == {
        "parent_name": "Ella Stone",
        "child_born": False,
        "child_date": date(2027, 4, 9),
        "partner_joins": True,
        "partner_name": "Noah",
    }
    assert found("my name is Ella Stone, due date is March 3rd") == {
        "parent_name": "Ella Stone",
        "child_born": False,
        "child_date": date(2027, 3, 3),
    }
    assert found("due date 2nd of May, just me")["child_date"] == date(2027, 5, 2)
    assert found("I'm pregnant") == {"child_born": False}  # no name made up
    assert "child_date" not in found("you may store it, 2 of us")


def test_the_parents_own_parents_are_not_the_partner() -> None:
    assert found("min mor kommer med", asked="partner_joins") == {}
    assert found("min far kommer også med", asked="partner_joins") == {}
    assert found("far kommer med", asked="partner_joins") == {"partner_joins": True}


def test_yes_with_a_name_only_answers_the_partner_question() -> None:
    assert found("ja, Jonas", asked="partner_joins") == {"partner_joins": True, "partner_name": "Jonas"}
    assert found("ja tak", asked="partner_joins") == {"partner_joins": True}
    assert found("ja, Jonas", asked="first_child") == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("jeg hedder maja nielsen", "Maja Nielsen"),
        ("mit navn er Maja", "Maja"),
        ("det er Maja Nielsen", "Maja Nielsen"),
        ("Maja Nielsen, vi venter", "Maja Nielsen"),
        ("hej jeg hedder Maja Louise Nielsen 😊", "Maja Louise Nielsen"),
        ("jeg er Ditte", "Ditte"),
        ("mit navn Yrsa Holm", "Yrsa Holm"),  # the verb left out
        ("my name Dao Tran", "Dao Tran"),
    ],
)
def test_the_parents_own_name(text: str, name: str) -> None:
    assert found(text)["parent_name"] == name


@pytest.mark.parametrize(
    "text",
    [
        "det er rigtigt",
        "jeg er alene",
        "jeg er gravid",
        "det er vores første",
        "ja tak, det vil vi gerne",
        "hej hej, vi vil gerne tilmelde os",
        "jeg er 24 uger henne",
    ],
)
def test_no_name_is_made_up(text: str) -> None:
    assert "parent_name" not in found(text)
    assert "partner_name" not in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "hvad koster det hvis min kæreste kommer med?",
        "kommer min kæreste også med på holdet?",
        "kan far også komme med?",
        "hvornår er termin-holdet i april?",
    ],
)
def test_questions_answer_nothing(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize("text", ["", "🙂🙂🙂", "/affirm", "asdkjh qwpoeiru", "ok", "nej", "ja"])
def test_nothing_in_messages_that_say_nothing(text: str) -> None:
    assert found(text) == {}


def test_the_first_child() -> None:
    assert found("det er vores første barn")["first_child"] is True
    assert found("vi er førstegangsforældre")["first_child"] is True


@pytest.mark.parametrize(
    "text",
    [
        "vi har en søn på 3 i forvejen",
        "Vi har en søn paa 3 i forvejen 😊",
        "det er vores andet barn",
        "nej, det er vores andet",
        "det er ikke vores første",
        "vi er ikke førstegangsforældre",
        "vi har allerede en datter",
        "vi har to børn",
        "vi har 2 boern i forvejen",
        "vi har børn i forvejen",
        "storebror glæder sig",
        "nej, vi har en dreng på 3 år i forvejen",
        "Maja Nielsen, termin 3. april, vi har en pige på 4 år",
        "vi har to børn og venter det tredje",
        "barn nummer 2",
        "vores anden graviditet",
        "vi har en datter fra før",
        "it's our second child",
        "we already have a son",
    ],
)
def test_an_older_child_says_it_is_not_the_first(text: str) -> None:
    assert found(text)["first_child"] is False


@pytest.mark.parametrize(
    "text",
    [
        "vi har termin 3. april",
        "vi har en lille pige på vej",
        "vi har fået en søn",
        "vores søn er 3 måneder",
        "han er 3 mdr gammel",
        "Ahmad kommer med, det er min mand",
        "vi har ingen børn i forvejen",
        "vi har ikke andre børn",
        "vi har to børn på vej",
        "vi har tvillinger på vej",
        "vi har allerede en pige på vej",
        "vi har allerede fået vores datter",
        "vi har allerede tilmeldt os",
        "andet hold",
        "vi vil gerne på et andet hold",
        "er det for os der har et barn i forvejen?",
        "ja det er rigtigt",
    ],
)
def test_no_older_child_is_made_up(text: str) -> None:
    assert found(text).get("first_child") is not False


def test_the_date_after_ikke_is_the_wrong_one() -> None:
    for text in ("nej, ikke 3. april men 4. april", "det er 4. april, ikke 3. april", "ikke d. 3/4 men 4/4"):
        assert found(text, asked="enrollment_confirmed", born=False)["child_date"] == date(2027, 4, 4), text


def test_a_date_about_something_else_corrects_nothing() -> None:
    assert found("nej, vi kan ikke starte 7. januar", asked="enrollment_confirmed", born=False) == {}
    assert found("nej, jeg skrev forkert i går", asked="enrollment_confirmed", born=False) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hej :) Maja her. Termin 3/4. Kæresten Jonas deltager også. Mail: maja@x.dk",
            {
                "parent_name": "Maja",
                "child_born": False,
                "child_date": date(2027, 4, 3),
                "partner_joins": True,
                "partner_name": "Jonas",
                "email": "maja@x.dk",
            },
        ),
        (
            "mit navn er maja nielsen og min mand kommer ogsaa med, vi har termin 3 april",
            {"parent_name": "Maja Nielsen", "child_born": False, "child_date": date(2027, 4, 3), "partner_joins": True},
        ),
        (
            "jeg er 30 uger henne og alene 🙂",
            {"child_born": False, "child_date": date(2027, 2, 14), "partner_joins": False},
        ),
        ("hun blev foedt for 3 uger siden", {"child_born": True, "child_date": date(2026, 11, 15)}),
        ("vi fik en dreng d. 20/11 🥰", {"child_born": True, "child_date": date(2026, 11, 20)}),
        ("Jonas (min kæreste) kommer også med", {"partner_joins": True, "partner_name": "Jonas"}),
        (
            "MAJA NIELSEN, TERMIN 3 APRIL",
            {"parent_name": "Maja Nielsen", "child_born": False, "child_date": date(2027, 4, 3)},
        ),
        ("kan min mand komme med", {}),
        ("hvad hvis jeg er alene", {}),
    ],
)
def test_more_messy_messages(text: str, expected: dict[str, Any]) -> None:
    assert found(text) == expected


def test_a_bare_date_is_a_date_only_when_asked_or_corrected() -> None:
    assert found("3. april") == {}
    assert found("3. april", asked="child_date", born=False) == {"child_date": date(2027, 4, 3)}
    assert found("den 2/11", asked="child_date", born=True) == {"child_date": date(2026, 11, 2)}


def test_a_name_before_more_answers_when_the_name_was_asked() -> None:
    assert found("Maja, termin 3. april", asked="parent_name")["parent_name"] == "Maja"
    assert found("Jonas, jonas@x.dk", asked="partner_name")["partner_name"] == "Jonas"


@pytest.mark.parametrize(
    "text",
    ["ja, og I må gerne gemme oplysningerne", "jeg giver samtykke", "yes, you may store my details", "I consent"],
)
def test_consent_in_so_many_words(text: str) -> None:
    assert found(text).get("consent") is True


@pytest.mark.parametrize("text", ["ja", "ja tak", "I må ikke gemme noget", "må I gemme mit cpr?", "ok"])
def test_no_consent_from_a_bare_yes_a_refusal_or_a_question(text: str) -> None:
    assert "consent" not in found(text)


@pytest.mark.parametrize("text", ["no, I'm alone", "it's just me", "I am coming alone", "nej jeg kommer alene"])
def test_alone_in_english_and_danish(text: str) -> None:
    assert found(text).get("partner_joins") is False


def test_due_is_english_only_as_english_says_it_and_a_surname_otherwise() -> None:
    assert "child_born" not in found("Camilla Due", asked="parent_name")  # the answer to the name question
    assert found("jeg hedder Peter Due")["parent_name"] == "Peter Due"
    assert "child_born" not in found("jeg hedder Peter Due")
    for english in ("we're due in april", "she is due next month", "due date is march 20", "i am due on 3 may"):
        assert found(english)["child_born"] is False, english
