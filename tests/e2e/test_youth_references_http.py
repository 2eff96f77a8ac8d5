"""End to end through the running servers: after the assistant has listed a
young person's meetings, "det" is the meeting shown and "til torsdag kl 14"
is the new time (not a meeting on Thursday); "aflys det på fredag" is the
one on Friday. The assistant says what it understood before it moves or
cancels an agreed meeting. A held meeting told when asked for a time is
logged (at once, when the message says all). And a young person who asked before identifying gets the answer right after
typing the code, without asking again."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest

from bot.dates import find_date, format_danish_date, format_danish_day
from bot.db import meetings as repo
from bot.db.youth import get_by_reference
from bot.db.youth_models import MentorMeeting
from bot.shared.clock import DANISH_TIME, danish_now, danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_youth_http import meetings_of, own_young_person, pair

pytestmark = pytest.mark.e2e


def confirmed(running: RunningAssistant, reference: str, day: date) -> MentorMeeting:
    """A meeting the mentor confirmed, as staff do with `bot youth confirm`: at 10, or late in the day if 10 is past."""
    starts = datetime.combine(day, time(10), DANISH_TIME)
    if starts < danish_now() + timedelta(hours=1):
        starts = datetime.combine(day, time(23, 30), DANISH_TIME)
    with running.sessions.begin() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        meeting = repo.request_meeting(
            session, profile, first=day, last=day, window_text="aftalt", starts_at=starts, conversation_id="staff"
        )
        repo.confirm_meeting(session, meeting, starts, by="lene")
        return meeting


def when(meeting: MentorMeeting) -> str:
    assert meeting.starts_at is not None
    local = meeting.starts_at.astimezone(DANISH_TIME)
    return f"{format_danish_date(local.date())} kl. {local:%H.%M}"


def test_moving_the_listed_meeting_to_thursday_at_14(running: RunningAssistant) -> None:
    chat = running.chat()
    reference = own_young_person(running)
    friday = find_date("på fredag", danish_today())
    assert friday is not None
    only = confirmed(running, reference, friday)
    pair(running, chat, reference, "Sofie")
    chat.say("hvilke møder har jeg")
    assert when(only) in chat.text

    chat.say("kan vi rykke det til torsdag kl 14")
    thursday = find_date("torsdag", danish_today())
    assert thursday is not None
    new_when = f"{format_danish_date(thursday)} kl. 14.00"
    assert chat.last[-1]["text"].startswith(f"Skal jeg flytte mødet {when(only)} til {new_when}?")
    assert "Jeg kan ikke finde et møde" not in chat.text
    assert [m.status for m in meetings_of(running, reference)] == ["confirmed"]  # nothing before the yes

    chat.say("ja")
    assert "er flyttet" in chat.text
    old, new = meetings_of(running, reference)
    assert (old.id, old.status, new.status, new.replaces_id) == (only.id, "moved", "requested", only.id)
    assert new.starts_at is not None
    assert new.starts_at.astimezone(DANISH_TIME) == datetime.combine(thursday, time(14), DANISH_TIME)


def test_cancelling_the_one_on_friday_after_the_list_and_asking_before_the_code(running: RunningAssistant) -> None:
    chat = running.chat()
    reference = own_young_person(running)
    friday = find_date("på fredag", danish_today())
    assert friday is not None
    on_friday = confirmed(running, reference, friday)
    later = confirmed(running, reference, friday + timedelta(days=4))

    chat.say("hvilke møder har jeg")
    assert "hvem du er" in chat.text and when(on_friday) not in chat.text  # nothing before identity
    output = running.cli("youth", "pair", reference, "--by", "ab")
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", output)
    assert code, output
    chat.say(code.group(0))  # only the code: the question asked before it is answered now
    assert "Tak, Sofie!" in chat.text and when(on_friday) in chat.text and when(later) in chat.text

    chat.say("aflys det på fredag")
    assert chat.last[-1]["text"].startswith(f"Skal jeg aflyse mødet {when(on_friday)}")
    chat.say("ja")
    assert "er aflyst" in chat.text
    assert [(m.id, m.status) for m in meetings_of(running, reference)] == [
        (on_friday.id, "cancelled"),
        (later.id, "confirmed"),
    ]


def test_a_held_meeting_told_when_asked_for_a_time_is_logged_not_asked_for(running: RunningAssistant) -> None:
    chat = running.chat()
    reference = own_young_person(running)
    pair(running, chat, reference, "Sofie")
    chat.say("kan jeg få et møde med min mentor")
    assert "Hvornår kan du?" in chat.text, chat.text
    chat.say("det var i går, vi snakkede om bolig")
    assert "Det lyder som et møde, der har været" in chat.text, chat.text
    assert "Den tid er gået" not in chat.text
    yesterday = format_danish_day(danish_today() - timedelta(days=1), danish_today())
    # The day and what was talked about are in the message: logged at once, and said back.
    assert f"Gemt! Mødet {yesterday} med Lene" in chat.text and "bolig" in chat.text, chat.text
    [held] = meetings_of(running, reference)
    assert held.status == "held" and held.starts_at is not None
    assert held.starts_at.astimezone(DANISH_TIME).date() == danish_today() - timedelta(days=1)
