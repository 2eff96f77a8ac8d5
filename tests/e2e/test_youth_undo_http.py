"""End to end through the running servers (issue 17): a young person's
request or record is saved as soon as the form has what it needs, even when
they stop writing right after the last detail, and the receipt says what was
saved and how to take it back. The request asked before the code, the time
in a later message; a held meeting saved at once, its time and note told
after; a switch of education told before the code and its day after the
save. "fortryd" takes back exactly the last save, once; a correction after
the save changes it; a stray "ok" or 👍 saves nothing twice; another
conversation of the same young person takes nothing back."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from datetime import time as clock_time

import pytest

from bot.dates import format_danish_day
from bot.db.education import latest_education
from bot.db.youth import get_by_reference
from bot.shared.clock import DANISH_TIME, danish_today
from tests.e2e.conftest import Chat, RunningAssistant
from tests.e2e.test_youth_http import meetings_of, own_young_person, pair

pytestmark = pytest.mark.e2e


def code_for(running: RunningAssistant, reference: str) -> str:
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", running.cli("youth", "pair", reference, "--by", "ab"))
    assert code
    return code.group(0)


def said(day: date, hour: int | None = None) -> str:
    return format_danish_day(day, danish_today(), clock_time(hour) if hour is not None else None)


def test_a_request_asked_before_the_code_is_saved_with_the_time_corrected_and_taken_back(
    running: RunningAssistant,
) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    chat.say("må jeg booke en tid hos min mentor snart")
    assert "hvem du er" in chat.text, chat.text
    chat.say(code_for(running, reference))  # the code alone: the request is answered now
    assert "Tak, Sofie!" in chat.text and "Hvornår kan du?" in chat.text, chat.text
    day = danish_today() + timedelta(days=4)
    chat.say(f"den {day.day}/{day.month} ved 13 tiden")  # and nothing more: saved now, no yes asked for
    assert f"Jeg har bedt Lene om et møde {said(day, 13)}" in chat.text and '"fortryd"' in chat.text, chat.text
    [requested] = meetings_of(running, reference)
    assert requested.status == "requested" and requested.starts_at is not None
    assert requested.starts_at.astimezone(DANISH_TIME) == datetime.combine(day, clock_time(13), DANISH_TIME)

    chat.say("👍")
    assert "Det er gemt" in chat.text, chat.text
    chat.say("det skulle være kl 15")
    assert f"Rettet! Jeg har bedt Lene om et møde {said(day, 15)} i stedet" in chat.text, chat.text
    [requested] = meetings_of(running, reference)
    assert requested.starts_at is not None
    assert requested.starts_at.astimezone(DANISH_TIME) == datetime.combine(day, clock_time(15), DANISH_TIME)

    chat.say("fortryd")
    assert "trukket ønsket om et møde" in chat.text, chat.text
    assert [(m.status, m.reason) for m in meetings_of(running, reference)] == [("cancelled", "fortrudt i chatten")]
    chat.say("fortryd")
    assert "allerede fortrudt" in chat.text, chat.text
    assert len(meetings_of(running, reference)) == 1


def test_a_held_meeting_saved_at_once_gets_its_time_and_note_after_and_a_no_takes_it_back(
    running: RunningAssistant,
) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    two_days_ago = danish_today() - timedelta(days=2)
    chat.say("jeg var til møde hos min kontaktperson i forgårs")
    assert f"Gemt! Mødet {said(two_days_ago)} med Lene" in chat.text, chat.text
    assert "hvad I talte om" in chat.text, chat.text  # the note invited, never required
    chat.say("ved 11 tiden")  # when, not the note: the time corrected, the note still welcome
    assert f"Rettet! Mødet er nu skrevet ind {said(two_days_ago, 11)}" in chat.text, chat.text
    chat.say("vi gennemgik min ansøgning til praktikpladsen")
    assert "Noten er sat på mødet" in chat.text, chat.text
    [held] = meetings_of(running, reference)
    assert held.note == "vi gennemgik min ansøgning til praktikpladsen" and held.rating is None
    assert held.starts_at is not None and held.starts_at.astimezone(DANISH_TIME).hour == 11

    chat.say("ok tak")
    assert "Det er gemt" in chat.text and len(meetings_of(running, reference)) == 1, chat.text
    chat.say("nej det passer ikke")
    assert "slettet mødet" in chat.text, chat.text
    assert meetings_of(running, reference) == []


def test_a_switch_told_before_the_code_is_saved_its_day_corrected_after_and_taken_back(
    running: RunningAssistant,
) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    chat.say("har lige skiftet uddannelse fra hf til eux")
    assert "hvem du er" in chat.text, chat.text
    chat.say(code_for(running, reference))
    assert "Gemt: du er skiftet til eux i dag" in chat.text, chat.text
    monday = danish_today() - timedelta(days=danish_today().weekday() or 7)
    chat.say("det var i mandags")
    assert f"Rettet! Nu står der, at du er skiftet til eux {said(monday)}" in chat.text, chat.text
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None and profile.programme == "eux"
        [switch] = latest_education(session, profile.id)
        assert (switch.kind, switch.occurred_on, switch.note) == ("changed", monday, "skiftet fra hf")
    chat.say("fortryd")
    assert "fjernet det igen" in chat.text, chat.text
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None and profile.programme is None
        assert latest_education(session, profile.id) == []


def test_another_conversation_of_the_same_young_person_takes_nothing_back(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat, other = running.chat(), running.chat()
    pair(running, chat, reference, "Sofie")
    pair(running, other, reference, "Sofie")
    yesterday = danish_today() - timedelta(days=1)
    chat.say("jeg var til møde hos min kontaktperson i går kl 10, vi talte om økonomi")
    assert f"Gemt! Mødet {said(yesterday, 10)}" in chat.text, chat.text
    for words in ("fortryd", "slet det igen"):
        other.say(words)
        assert "ikke noget, jeg kan fortryde" in other.text, other.text
    assert [m.status for m in meetings_of(running, reference)] == ["held"]
    chat.say("fortryd")  # the conversation that saved it can
    assert "slettet mødet" in chat.text and meetings_of(running, reference) == [], chat.text


def test_fortryd_inside_a_form_stops_it(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat: Chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say("kan jeg få et møde med min mentor")
    assert "Hvornår kan du?" in chat.text, chat.text
    chat.say("fortryd")
    assert running.tracker(chat.sender)["active_loop"] in ({}, None, {"name": None})
    assert meetings_of(running, reference) == []
