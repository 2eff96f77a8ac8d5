"""End to end through the running servers (issue 17): kinds of message the
ninth blind conversation set found, each fixed in general and tested here in
other words. Dictation and formal writing: days and hours in words ("den
fjortende december", "klokken to", "halv tre"), an hour from 1 to 6 in the
afternoon, the name given before another answer ("Ida Brun termin …"), a
partner called "hustru" and named as "hendes fornavn er …"; a person asked
for with "m" for "med" or as a call ("blive ringet op"); a yes to the receipt
that invites a note is no note; a stop told with a typo ("stopet")."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.dates.spoken import ORDINAL_DAYS
from bot.dates.words import MONTH_NAMES as MONTHS
from bot.db.education import latest_education
from bot.db.youth import get_by_reference
from bot.shared.clock import DANISH_TIME, danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_enrollment_http import enrollment, reference_code
from tests.e2e.test_enrollment_messy_http import at_the_summary
from tests.e2e.test_handover_http import escalation_of
from tests.e2e.test_youth_http import meetings_of, own_young_person, pair
from tests.e2e.test_youth_undo_http import code_for

pytestmark = pytest.mark.e2e

IN_WORDS = {number: word for word, number in ORDINAL_DAYS.items()}


def test_a_formal_father_dictating_the_due_date_in_words(running: RunningAssistant) -> None:
    due = danish_today() + timedelta(weeks=15)
    chat = running.chat()
    chat.say("Goddag. Min hustru og jeg venter vores første barn og vil gerne deltage i forældrekurset.")
    chat.say(f"Aksel Holm termin den {IN_WORDS[due.day]} {MONTHS[due.month - 1]}")
    chat.say("Ja, min hustru deltager naturligvis også. Hendes fornavn er Signe.")
    chat.say("aksel.holm@example.dk")
    at_the_summary(chat)
    chat.say("Ja, oplysningerne er korrekte.")
    row = enrollment(running, reference_code(chat.text))
    assert (row.parent_name, row.partner_name, row.due_date) == ("Aksel Holm", "Signe", due)


def test_a_meeting_asked_for_at_an_hour_in_words_and_one_noted_at_half_past(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    day = danish_today() + timedelta(days=9)
    chat.say("kan jeg få et møde med min mentor")
    chat.say(f"den {day.day}. {MONTHS[day.month - 1]} klokken tre")
    requested = [m for m in meetings_of(running, reference) if m.status == "requested"]
    assert requested and requested[0].starts_at is not None, chat.text
    assert requested[0].starts_at.astimezone(DANISH_TIME) == datetime.combine(day, time(15), DANISH_TIME)
    held = danish_today() - timedelta(days=2)
    chat.say(f"skriv ind at jeg havde møde med min mentor den {held.day}. {MONTHS[held.month - 1]} klokken halv to")
    chat.say("ja det er rigtigt")  # to the receipt, which invites a note: a yes, no note
    logged = [m for m in meetings_of(running, reference) if m.status == "held"]
    assert logged and logged[0].starts_at is not None, chat.text
    assert logged[0].starts_at.astimezone(DANISH_TIME) == datetime.combine(held, time(13, 30), DANISH_TIME)
    assert not logged[0].note, chat.text


def test_a_person_asked_for_with_m_for_med_and_a_call_asked_for_in_the_passive(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("er du en robot? gider ik skrive m en maskine, vil snakke m et rigtigt menneske")
    assert "Jeg giver din samtale videre til en medarbejder" in chat.text, chat.text
    other = running.chat()
    other.say("Det handler om en plads i vuggestuen. Jeg vil gerne bede om at blive ringet op af en sagsbehandler.")
    assert "Jeg giver din samtale videre til en medarbejder" in other.text, other.text
    assert escalation_of(running, other.sender).reason == "request_human"


def test_a_stop_told_with_a_typo_and_the_code(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    chat.say(f"{code_for(running, reference)} jeg er stopet på hhx, det var ik noget for mig")
    assert "Gemt" in chat.text, chat.text
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        [latest, *_] = latest_education(session, profile.id)
    assert (latest.kind, latest.programme.lower()) == ("stopped", "hhx")
