"""End to end through the running servers (issue 17): kinds of message the
sixth blind conversation set found, each fixed in general and tested here in
other words. Parents: the partner named by role inside the first message
("min mand Ahmed og jeg …"), a partner's name given in English in answer to
whether one comes ("his name is …"), a date with its year in the future in
answer to "Er jeres barn født?" (a due date), a birth told as "we had our
daughter on …". Young people: the programme named in the answer to what
happened ("er begyndt på fgu i mandags"), a bare yes to "Hvilken uddannelse?"
asked again, a held meeting to note down told with the pairing code in the
first message, and a person asked for "i telefonen" in the middle of moving a
meeting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.db.education import latest_education
from bot.db.models import Escalation
from bot.db.youth import get_by_reference
from bot.shared.clock import DANISH_TIME, danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_enrollment_http import enrollment, reference_code
from tests.e2e.test_enrollment_messy_http import at_the_summary, danish
from tests.e2e.test_youth_http import meetings_of, own_young_person, pair
from tests.e2e.test_youth_references_http import confirmed
from tests.e2e.test_youth_undo_http import code_for

pytestmark = pytest.mark.e2e


def test_a_partner_named_by_role_in_the_first_message_and_a_dated_due_day(running: RunningAssistant) -> None:
    due = danish_today() + timedelta(weeks=14)
    chat = running.chat()
    chat.say("Hej, min mand Ahmed og jeg vil gerne på forældrekurset")
    chat.say("Leila Haddad")
    # Asked whether the child is born, a date with its year in the future is the due date.
    chat.say(f"{due:%d/%m/%Y}")
    assert "ligger i fremtiden" not in chat.text and "partner" not in chat.text.lower(), chat.text
    chat.say("leila.haddad@example.dk")
    at_the_summary(chat)
    assert "Ahmed" in chat.text and f"Termin: {danish(due)}" in chat.text, chat.text
    chat.say("ja")
    row = enrollment(running, reference_code(chat.text))
    assert (row.parent_name, row.partner_name, row.due_date, row.birth_date) == ("Leila Haddad", "Ahmed", due, None)


def test_a_partners_name_in_english_and_a_birth_told_as_we_had_our_daughter(running: RunningAssistant) -> None:
    born = danish_today() - timedelta(days=20)
    chat = running.chat()
    chat.say(f"hello, we had our daughter on {born.day} {born:%B}, can we join the parents course?")
    chat.say("Olga Kowalska")
    assert "Deltager der en partner" in chat.text, chat.text  # the birth was understood: not asked
    chat.say("yes, his name is Piotr")
    assert "Hvad hedder din partner" not in chat.text and "Svar gerne ja eller nej" not in chat.text, chat.text
    chat.say("+45 31 22 44 55")
    at_the_summary(chat)
    chat.say("yes")
    row = enrollment(running, reference_code(chat.text))
    assert (row.partner_name, row.birth_date, row.due_date, row.phone) == ("Piotr", born, None, "+4531224455")


def test_the_programme_named_in_the_answer_to_what_happened_and_a_bare_yes_asked_again(
    running: RunningAssistant,
) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say("vil gerne opdatere min uddannelse")
    chat.say("er begyndt på fgu i mandags 🙌")
    assert "Hvilken uddannelse?" not in chat.text and "Gemt" in chat.text and "fgu" in chat.text.lower(), chat.text
    chat.say("vil gerne opdatere min uddannelse")
    chat.say("har droppet ud")
    assert "Hvilken uddannelse?" in chat.text, chat.text
    chat.say("jep")
    assert "Skriv navnet på uddannelsen" in chat.text and "Gemt" not in chat.text, chat.text
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        assert [(e.kind, e.programme.lower()) for e in latest_education(session, profile.id)][:1] == [
            ("started", "fgu")
        ]


def test_a_held_meeting_to_note_down_with_the_code_in_the_first_message(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    day = danish_today() - timedelta(days=2)
    chat = running.chat()
    chat.say(f"{code_for(running, reference)} vil gerne skrive ind at jeg havde et møde med min mentor")
    assert "Tak, Sofie!" in chat.text and "Hvornår var mødet?" in chat.text, chat.text
    chat.say(f"det var d. {day.day}/{day.month} kl 10")
    assert "Gemt!" in chat.text, chat.text  # saved once the day is told; the receipt invites a note
    chat.say("vi snakkede om praktik")
    assert "Noten er sat på mødet" in chat.text, chat.text
    [held] = meetings_of(running, reference)
    assert held.status == "held" and held.note == "vi snakkede om praktik" and held.starts_at is not None
    assert held.starts_at.astimezone(DANISH_TIME).date() == day


def test_a_person_asked_for_on_the_phone_while_moving_a_meeting_is_handed_over(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    day: date = danish_today() + timedelta(days=3)
    confirmed(running, reference, day)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say("vil rykke mødet")
    assert "Hvornår kan du?" in chat.text, chat.text
    chat.say("ugh det er for besværligt, kan jeg ikke bare få min sagsbehandler i telefonen")
    assert "Jeg giver din samtale videre til en medarbejder" in chat.text, chat.text
    with running.sessions() as session:
        [case] = session.scalars(select(Escalation).where(Escalation.conversation_id == chat.sender)).all()
    assert case.reason == "request_human"
