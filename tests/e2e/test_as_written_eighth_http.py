"""End to end through the running servers (issue 17): kinds of message the
eighth blind conversation set found, each fixed in general and tested here
in other words. Parents: the name given as "mit navn …", a date corrected
inside the message that gives it ("… nej vent, …"); a person asked for as
"en fra kommunen" after the explanation of how to report a concern is a
concern handed over. Young people: a pairing code and a request in one
message (the request was lost to the pairing), a meeting whose time does
not suit moved within the same day (it was read as a new meeting), an
education stop told as "hoppet af" with the code, and a switch followed by
the same programme's day (a correction of that day, not a second change)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.db.education import latest_education
from bot.db.youth import get_by_reference
from bot.shared.clock import DANISH_TIME, danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_enrollment_http import enrollment, reference_code
from tests.e2e.test_enrollment_messy_http import at_the_summary, danish
from tests.e2e.test_handover_http import escalation_of
from tests.e2e.test_youth_http import meetings_of, own_young_person, pair
from tests.e2e.test_youth_references_http import confirmed, when
from tests.e2e.test_youth_undo_http import code_for

pytestmark = pytest.mark.e2e


def test_the_name_without_its_verb_and_a_due_date_corrected_in_the_same_message(running: RunningAssistant) -> None:
    wrong, due = danish_today() + timedelta(weeks=14), danish_today() + timedelta(weeks=15)
    chat = running.chat()
    chat.say("hej vi vil gerne tilmelde os forældrekurset")
    chat.say("mit navn Rikke Juhl")
    chat.say(f"vi har termin {danish(wrong)}.. nej vent, undskyld, det er {danish(due)}")
    chat.say("nej kun mig")
    chat.say("rikke.juhl@example.dk")
    at_the_summary(chat)
    chat.say("ja det er rigtigt")
    row = enrollment(running, reference_code(chat.text))
    assert (row.parent_name, row.partner_name, row.due_date) == ("Rikke Juhl", None, due)


def test_someone_from_the_municipality_asked_for_after_the_concern_explained_is_a_concern(
    running: RunningAssistant,
) -> None:
    chat = running.chat()
    chat.say("jeg er bekymret for drengen i nabohuset, han står tit alene ude i haven om aftenen. hvad gør jeg?")
    assert "underretning" in chat.text, chat.text
    chat.say("jeg vil gerne snakke med en fra kommunen om ham. mit nummer er 20 30 40 50")
    assert "Jeg giver din samtale videre til en medarbejder" in chat.text, chat.text
    case = escalation_of(running, chat.sender)
    assert (case.reason, case.priority) == ("concern", "high")


def test_the_code_and_a_request_in_one_message_answers_the_request(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    agreed = confirmed(running, reference, danish_today() + timedelta(days=3))
    chat = running.chat()
    chat.say(f"hejsa, min kode er {code_for(running, reference)} - kan du vise mine tider?")
    assert "Tak, Sofie!" in chat.text and when(agreed) in chat.text, chat.text


def test_a_meeting_that_does_not_suit_moved_within_the_same_day(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    day = danish_today() + timedelta(days=3)
    agreed = confirmed(running, reference, day)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say(f"mødet {day:%d/%m} kl 10 er for tidligt for mig, kan vi tage det 13.30 samme dag?")
    chat.say("ja tak")
    moved = [m for m in meetings_of(running, reference) if m.replaces_id == agreed.id]
    assert moved and moved[0].starts_at is not None, chat.text
    assert moved[0].starts_at.astimezone(DANISH_TIME) == datetime.combine(day, time(13, 30), DANISH_TIME)
    assert [m.id for m in meetings_of(running, reference) if m.status == "requested" and m.replaces_id is None] == []


def test_a_stop_told_with_the_code_and_a_switch_given_its_day(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    chat.say(f"{code_for(running, reference)} er hoppet af eux, det blev for meget")
    assert "Tak, Sofie!" in chat.text and "Gemt" in chat.text, chat.text
    chat.say("men nu er jeg skiftet over til hf")
    chat.say("begyndte på hf i går")
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        events = latest_education(session, profile.id)
    # one stop and one switch (latest_education orders by the day each happened), the switch on its day
    stops = [e for e in events if (e.kind, e.programme.lower()) == ("stopped", "eux")]
    switches = [e for e in events if e.kind in ("changed", "started") and e.programme.lower() == "hf"]
    assert len(stops) == 1 and len(switches) == 1, chat.text
    assert switches[0].occurred_on == danish_today() - timedelta(days=1), chat.text


def test_the_cancel_question_answered_just_cancel_it_with_more_after_it(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    agreed = confirmed(running, reference, danish_today() + timedelta(days=2))
    chat = running.chat()
    chat.say(f"{code_for(running, reference)} sorry i cant make it to the mentor meeting, something came up")
    assert f"Skal jeg aflyse mødet {when(agreed)}?" in chat.text, chat.text
    chat.say("just cancel it, we can find another time next week")  # read as a stop by NLU
    assert "er aflyst" in chat.text, chat.text
    assert [m.status for m in meetings_of(running, reference)] == ["cancelled"]
