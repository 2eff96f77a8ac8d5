"""End to end: the real Rasa server and action server, the HTTP channel, the
real database; a restart of both servers in the middle of an enrollment;
questions in the middle of the enrollment and of the look-up answered, and
the form asking again with its answers kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import ConsentRecord, CourseEnrollment, EnrollmentStatus
from bot.db.services import get_service
from bot.shared.clock import danish_today
from bot.shared.municipality import current_municipality
from tests.e2e.conftest import Chat, RunningAssistant

pytestmark = pytest.mark.e2e

DUE = danish_today() + timedelta(weeks=12)
DUE_TEXT = DUE.strftime("%d.%m.%Y")


def enrollment(running: RunningAssistant, reference_in: str) -> CourseEnrollment:
    with running.sessions() as session:
        row = session.scalars(select(CourseEnrollment).where(CourseEnrollment.reference_code == reference_in)).one()
        session.expunge(row)
        return row


def reference_code(text: str) -> str:
    start = text.index("FMH-")
    return text[start : start + 9]


def start_and_answer_first_questions(chat: Chat, name: str) -> None:
    chat.say("hej")
    assert "Familie med Hjerte" in chat.text
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    # Who the course is for, in one line before the first question (no question about it).
    assert "forældre for første gang" in chat.text and "Hvad er dit navn?" in chat.text, chat.text
    chat.say(name)
    assert "Er jeres barn født?" in chat.text
    chat.click("/deny")
    assert "termin" in chat.text
    chat.say(DUE_TEXT)
    assert "partner" in chat.text and "første barn" not in chat.text, chat.text


def finish(chat: Chat, email: str) -> str:
    """No partner, the contact, and the one summary question: a yes enrols."""
    chat.say("nej")
    assert "e-mail" in chat.text
    chat.say(email)
    # Straight to the summary: the team chosen, the first child, what is stored and why, one question.
    assert "Hvilket hold" not in chat.text and "Første barn: ja" in chat.text and email in chat.text, chat.text
    assert current_municipality().privacy.enrollment_consent.removesuffix("Må vi gemme oplysningerne?").strip() in (
        chat.text
    )
    assert "Passer det, og må vi gemme oplysningerne og tilmelde jer?" in chat.text
    assert [b["payload"] for b in chat.buttons] == ["/affirm", "/deny"]
    chat.say("ja")
    assert "I er tilmeldt" in chat.text, chat.text
    return reference_code(chat.text)


def test_enrol_through_http_and_find_the_row(running: RunningAssistant) -> None:
    chat = running.chat()
    start_and_answer_first_questions(chat, "Mette Hansen")
    code = finish(chat, "mette.e2e@example.dk")
    row = enrollment(running, code)
    assert (row.parent_name, row.due_date, row.email, row.status) == (
        "Mette Hansen",
        DUE,
        "mette.e2e@example.dk",
        EnrollmentStatus.ACTIVE,
    )
    assert row.conversation_id == chat.sender
    with running.sessions() as session:  # the consent, with the words shown at the summary
        [consent] = session.scalars(select(ConsentRecord).where(ConsentRecord.conversation_id == chat.sender)).all()
        assert (consent.answer, consent.subject) == ("given", code)
        assert consent.text_shown.endswith("Passer det, og må vi gemme oplysningerne og tilmelde jer?")
        assert consent.text_shown == row.consent_text
        assert consent.text_shown.startswith(current_municipality().privacy.enrollment_consent.split(" Må vi")[0])

    chat.say("er vi tilmeldt?")
    assert code in chat.text


def test_restart_in_the_middle_of_an_enrollment(running: RunningAssistant) -> None:
    chat = running.chat()
    start_and_answer_first_questions(chat, "Sofie Jensen")
    running.restart()
    code = finish(chat, "sofie.e2e@example.dk")
    assert enrollment(running, code).parent_name == "Sofie Jensen"


def test_question_in_the_middle_is_answered_and_the_form_resumes(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("tilmeld os kurset tak")
    assert "Hvad er dit navn?" in chat.text
    chat.say("hvad koster kurset?")
    assert "gratis" in chat.text and "Hvad er dit navn?" in chat.text
    chat.say("stop")
    assert "ikke gemt noget" in chat.text


def test_later_conversation_checks_and_cancels_with_code_and_contact(running: RunningAssistant) -> None:
    first = running.chat()
    start_and_answer_first_questions(first, "Ali Hassan")
    code = finish(first, "ali.e2e@example.dk")

    later = running.chat()
    later.say("jeg vil gerne afmelde vores tilmelding til kurset")
    assert "kode" in later.text
    later.say(code.lower())
    assert "e-mail" in later.text
    later.say("ali.e2e@example.dk")
    assert "afmelde" in later.text and code in later.text
    later.click("/affirm")
    assert "afmeldt" in later.text
    assert enrollment(running, code).status == EnrollmentStatus.CANCELLED


def test_questions_in_the_middle_of_the_look_up_are_answered_and_the_look_up_goes_on(
    running: RunningAssistant,
) -> None:
    first = running.chat()
    start_and_answer_first_questions(first, "Lone Berg")
    code = finish(first, "lone.e2e@example.dk")

    later = running.chat()
    later.say("jeg vil gerne afmelde vores tilmelding til kurset")
    later.say(code.lower())
    ask_contact = "Hvilken e-mail eller hvilket mobilnummer gav I ved tilmeldingen?"
    assert later.last[-1]["text"] == ask_contact
    later.say("hvad er sundhedsplejen?")
    with running.sessions() as session:
        health_visitor = get_service(session, "sundhedspleje")
        assert health_visitor is not None
        answer, read_more = health_visitor.answer, health_visitor.read_more
    assert later.last[0]["text"] == answer and later.last[-1]["text"] == ask_contact
    assert running.tracker(later.sender)["active_loop"]["name"] == "enrollment_lookup_form"
    later.click("/ask_read_more")  # about the health visitor, not the course
    assert read_more in later.text and later.last[-1]["text"] == ask_contact

    later.say("lone.e2e@example.dk")
    confirm = later.last[-1]["text"]
    assert code in confirm and "afmelde" in confirm  # the code given before the question was kept
    later.say("hvad er familie med hjerte?")
    assert later.last[0]["text"].startswith("Familie med Hjerte er et gratis forløb")
    assert "Vil I tilmeldes?" not in later.text and "/enroll_course" not in [b["payload"] for b in later.buttons]
    assert later.last[-1]["text"] == confirm
    later.click("/affirm")
    assert "afmeldt" in later.text
    assert enrollment(running, code).status == EnrollmentStatus.CANCELLED


@pytest.mark.parametrize("message", ["", "🙂🙂🙂", "asdkjh qwpoeiru zmxnbv", "hej " * 800])
def test_odd_messages_get_an_answer(running: RunningAssistant, message: str) -> None:
    chat = running.chat()
    replies = chat.say(message)
    assert replies and all(r.get("text") for r in replies)


def test_two_misunderstood_messages_offer_a_person(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("qwxz plk vbnm")
    chat.say("zzkj qpwo xcvb")
    assert "videre til en medarbejder" in chat.text
    assert [b["payload"] for b in chat.buttons] == ["/request_human", "/thank"]
