"""End to end: the answers parents give that are not the answer the form
asked for in so many words (issue 17), through the real Rasa server and
action server, the stored enrollment read back from the database: a name in
lower case, a partner's name alone as the answer to "does a partner join?",
a thumbs-up at the summary, a date corrected in the same message as the
answer asked for, a week of pregnancy later replaced by the due date, a
partner who "vil også gerne være med", and the course called off in the same
conversation it was booked in (also in words NLU cannot read: "meld os fra igen"),
confirmed with a yes that names the cancelling ("yes, cancel it", which NLU reads
as a stop)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.dates import format_danish_date
from bot.db.models import EnrollmentStatus
from tests.e2e.conftest import Chat, RunningAssistant
from tests.e2e.test_enrollment_http import enrollment, reference_code
from tests.e2e.test_enrollment_messy_http import DUE, SUMMARY_QUESTION, at_the_summary, danish, enrollments_of

pytestmark = pytest.mark.e2e


def answer_until_the_summary(chat: Chat, answers: dict[str, str]) -> None:
    """Answer whichever question is asked (by a word of it) until the summary;
    a question asked that `answers` has no answer for fails the test."""
    for _ in range(6):
        if SUMMARY_QUESTION in chat.text:
            return
        asked = [answer for word, answer in answers.items() if word in chat.text]
        assert asked, f"an unexpected question: {chat.text}"
        chat.say(asked[0])
    at_the_summary(chat)


def test_a_lower_case_name_a_partner_named_alone_and_a_thumbs_up(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hej jeg vil gerne melde mig til forældrekurset")
    assert "Hvad er dit navn?" in chat.text, chat.text
    chat.say("rikke juhl")
    chat.click("/deny")  # not born yet
    chat.say(DUE.strftime("%d.%m.%Y"))
    assert "partner" in chat.text, chat.text
    chat.say("Mathias")
    # The name is the yes and the partner's name: the contact is asked next, not the partner again.
    assert "e-mail" in chat.text and "partner" not in chat.text.lower(), chat.text
    chat.say("rikke.answers@example.dk")
    at_the_summary(chat)
    assert "Rikke Juhl" in chat.text and "Partner: Mathias" in chat.text, chat.text
    chat.say("👍")
    assert "I er tilmeldt" in chat.text, chat.text
    row = enrollment(running, reference_code(chat.text))
    assert (row.parent_name, row.partner_name, row.due_date, row.email) == (
        "Rikke Juhl",
        "Mathias",
        DUE,
        "rikke.answers@example.dk",
    )


def test_a_due_date_corrected_in_the_answer_about_the_partner(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("kan vi blive skrevet op til familie med hjerte")
    chat.say(f"Nadia Berg, vi har termin {danish(DUE)}")
    assert "partner" in chat.text, chat.text
    corrected = DUE + timedelta(days=3)
    chat.say(f"ups, terminen er faktisk {danish(corrected)}, og ja min kæreste Emil kommer med")
    assert "e-mail" in chat.text and "partner" not in chat.text.lower(), chat.text
    chat.say("nadia.answers@example.dk")
    at_the_summary(chat)
    assert format_danish_date(corrected) in chat.text and "Partner: Emil" in chat.text, chat.text
    chat.say("ja")
    row = enrollment(running, reference_code(chat.text))
    assert (row.due_date, row.partner_name) == (corrected, "Emil")


def test_a_week_of_pregnancy_then_the_due_date_keeps_the_due_date(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hej, jeg hedder Signe Holt og er gravid i uge 21, vil gerne med på kurset")
    told = DUE + timedelta(days=4)
    chat.say(f"terminen er i øvrigt {danish(told)}")
    answer_until_the_summary(chat, {"partner": "nej, det er kun mig", "e-mail": "signe.answers@example.dk"})
    assert format_danish_date(told) in chat.text, chat.text
    chat.say("ja tak")
    row = enrollment(running, reference_code(chat.text))
    assert (row.parent_name, row.due_date, row.partner_name) == ("Signe Holt", told, None)


def test_a_partner_who_also_wants_to_join_in_one_message(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say(
        f"vi vil gerne være med på forældrekurset, jeg hedder Hiba Rahman, termin {danish(DUE)}, "
        "min mand Omar vil også gerne være med. mail: hiba.answers@example.dk"
    )
    answer_until_the_summary(chat, {"navn": "Hiba Rahman"})
    assert "Partner: Omar" in chat.text, chat.text
    chat.say("ja det passer")
    row = enrollment(running, reference_code(chat.text))
    assert (row.parent_name, row.partner_name, row.email) == ("Hiba Rahman", "Omar", "hiba.answers@example.dk")


def test_the_course_called_off_in_the_conversation_it_was_booked_in(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say(f"tilmeld mig kurset: Karen Lind, termin {danish(DUE)}, ingen partner, karen.answers@example.dk")
    answer_until_the_summary(chat, {"navn": "Karen Lind"})
    chat.say("ja")
    code = reference_code(chat.text)
    chat.say("undskyld, vi vil alligevel gerne melde fra kurset igen")
    # Called off, not a second enrolment: the look-up for the cancellation, never "Hvad er dit navn?".
    assert "Hvad er dit navn?" not in chat.text and "afmeld" in chat.text.lower(), chat.text
    for _ in range(3):
        if "/affirm" in [b["payload"] for b in chat.buttons]:
            break
        chat.say(code if "kode" in chat.text else "karen.answers@example.dk")
    chat.click("/affirm")
    assert "afmeldt" in chat.text, chat.text
    assert enrollment(running, code).status == EnrollmentStatus.CANCELLED
    assert enrollments_of(running, chat) == 1


@pytest.mark.parametrize(
    ("name", "calling_off"),
    [
        ("Lone Brix", "øv, det kan vi alligevel ikke, kan du melde os fra igen"),
        # A partner's word as the reason: read as a concern for a child before the readers.
        ("Lise Brok", "min mand siger vi alligevel ikke har tid 🙈 så afmeld den her igen tak"),
        ("Lene Bro", "har lige talt med min kæreste og vi venter hellere lidt, kan du afmelde os?"),
    ],
)
def test_the_enrolment_just_made_called_off_without_naming_the_course(
    running: RunningAssistant, name: str, calling_off: str
) -> None:
    chat = running.chat()
    email = f"{name.split()[0].lower()}.answers@example.dk"
    chat.say(f"tilmeld mig kurset: {name}, termin {danish(DUE)}, ingen partner, {email}")
    answer_until_the_summary(chat, {"navn": name})
    chat.say("ja")
    code = reference_code(chat.text)
    chat.say(calling_off)
    assert "/affirm" in [b["payload"] for b in chat.buttons], chat.text  # asked before it is called off
    chat.click("/affirm")
    assert "afmeldt" in chat.text, chat.text
    assert enrollment(running, code).status == EnrollmentStatus.CANCELLED


def test_the_cancel_question_answered_with_a_yes_and_the_cancel_verb(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say(f"tilmeld mig kurset: Ulla Friis, termin {danish(DUE)}, ingen partner, ulla.answers@example.dk")
    answer_until_the_summary(chat, {"navn": "Ulla Friis"})
    chat.say("ja")
    code = reference_code(chat.text)
    chat.say("sorry, plans changed. please cancel our registration")
    assert "/affirm" in [b["payload"] for b in chat.buttons], chat.text
    chat.say("yes, go ahead and cancel it")  # read as a stop: the yes to the question, not leaving it
    assert "afmeldt" in chat.text, chat.text
    assert enrollment(running, code).status == EnrollmentStatus.CANCELLED
