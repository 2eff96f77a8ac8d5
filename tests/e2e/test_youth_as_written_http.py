"""End to end through the running servers (issue 17), a young person's
meetings and education as people write them: a weekday told after asking
for "next week" is next week's; a move called off when asked for the new
time goes on as a cancellation of that meeting, after its yes; a meeting
to note down, said in so many words, held earlier today ("her i
formiddags") is logged today, its time corrected in a few words and not
stored as the note; a code and a stop told in one message store the stop,
and a code with a look at the meetings lists them; a new meeting asked for
"om to uger" with a weekday is asked for on that week's weekday, not a move;
a meeting called off in so many words ("kan vi ikke bare droppe det") is
cancelled after its yes, and one more asked for with the meeting named
("kan vi få et ekstra på fredag?") is a request, not a held meeting."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as clock_time

import pytest

from bot.dates import format_danish_day
from bot.db.education import latest_education
from bot.db.youth import get_by_reference
from bot.shared.clock import DANISH_TIME, danish_now, danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_youth_http import meetings_of, own_young_person, pair
from tests.e2e.test_youth_references_http import confirmed, when
from tests.e2e.test_youth_undo_http import code_for

pytestmark = pytest.mark.e2e


def said(day: date, moment: clock_time | None = None) -> str:
    return format_danish_day(day, danish_today(), moment)


def test_a_weekday_after_asking_for_next_week_is_next_weeks(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say("kan jeg få en tid hos min mentor en dag i næste uge")
    assert "Jeg har bedt Lene om et møde mellem" in chat.text, chat.text
    next_thursday = danish_today() + timedelta(days=7 - danish_today().weekday() + 3)
    chat.say("torsdag ved 13-tiden")
    assert f"Rettet! Jeg har bedt Lene om et møde {said(next_thursday, clock_time(13))}" in chat.text, chat.text
    [requested] = meetings_of(running, reference)
    assert requested.status == "requested" and requested.starts_at is not None
    assert requested.starts_at.astimezone(DANISH_TIME) == datetime.combine(next_thursday, clock_time(13), DANISH_TIME)


def test_a_move_called_off_when_asked_for_the_new_time_is_a_cancellation(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    day = danish_today() + timedelta(days=3)
    agreed = confirmed(running, reference, day)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say(f"kan vi rykke mødet d. {day.day}.")
    assert "Hvornår kan du?" in chat.text, chat.text
    chat.say("nej, så hellere aflyse det helt")
    assert chat.last[-1]["text"].startswith(f"Skal jeg aflyse mødet {when(agreed)}?"), chat.text
    assert [m.status for m in meetings_of(running, reference)] == ["confirmed"]  # nothing before the yes
    chat.say("ja")
    assert "er aflyst" in chat.text, chat.text
    [cancelled] = meetings_of(running, reference)  # cancelled, and no new meeting asked for
    assert (cancelled.id, cancelled.status) == (agreed.id, "cancelled")


def test_a_meeting_earlier_today_with_its_time_corrected_is_logged_today(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    hour = max(danish_now().hour - 1, 0)  # an hour ago (the day is all that is checked against now)
    chat.say("jeg skal have ført et møde ind")  # noting one down, said in so many words
    assert "Hvornår var mødet?" in chat.text, chat.text
    chat.say("her i formiddags")
    assert f"Gemt! Mødet {said(danish_today())} med Lene" in chat.text, chat.text
    chat.say(f"kl {hour}")
    assert f"skrevet ind {said(danish_today(), clock_time(hour))}" in chat.text, chat.text
    corrected = clock_time(hour, 15)
    chat.say(f"hov nej, det var kl {hour}.15")
    assert f"skrevet ind {said(danish_today(), corrected)}" in chat.text, chat.text
    chat.say("vi snakkede om min husleje")
    assert "Noten er sat på mødet" in chat.text, chat.text
    [held] = meetings_of(running, reference)
    assert held.note == "vi snakkede om min husleje" and held.starts_at is not None
    assert held.starts_at.astimezone(DANISH_TIME) == datetime.combine(danish_today(), corrected, DANISH_TIME)


def test_a_code_and_a_stop_told_in_one_message_store_the_stop(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    chat = running.chat()
    chat.say(f"{code_for(running, reference)} er hoppet fra smedeuddannelsen")
    assert "Tak, Sofie!" in chat.text, chat.text
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        [stop] = latest_education(session, profile.id)
        assert stop.kind == "stopped" and "smed" in stop.programme.lower(), chat.text


def test_a_look_at_the_meetings_asked_for_with_the_code_lists_them(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    day = danish_today() + timedelta(days=4)
    confirmed(running, reference, day)
    chat = running.chat()
    chat.say(f"hej kan jeg se mine aftaler, min kode er {code_for(running, reference)}")
    assert "Tak, Sofie!" in chat.text and "Dine møder med Lene" in chat.text, chat.text
    assert f"{day.day}. " in chat.text.split("Kommende:")[1], chat.text


def test_a_new_meeting_in_two_weeks_on_a_weekday_is_asked_for_not_a_move(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    agreed = confirmed(running, reference, danish_today() + timedelta(days=3))
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say("skal vi tage et nyt møde om 2 uger? onsdag kl 11 kunne jeg godt")
    in_two_weeks = danish_today() + timedelta(days=14)
    wednesday = in_two_weeks + timedelta(days=2 - in_two_weeks.weekday())
    for _ in range(2):  # a yes, if it asks before it asks the mentor
        if "Jeg har bedt Lene om" in chat.text:
            break
        chat.say("ja")
    assert f"Jeg har bedt Lene om et møde {said(wednesday, clock_time(11))}" in chat.text, chat.text
    statuses = {m.id: m.status for m in meetings_of(running, reference)}
    assert statuses[agreed.id] == "confirmed" and sorted(statuses.values()) == ["confirmed", "requested"]


WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def test_a_meeting_called_off_in_so_many_words_is_cancelled_after_its_yes(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    day = danish_today() + timedelta(days=4)
    agreed = confirmed(running, reference, day)
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say(f"ka ik nå mødet d. {day.day}, kan vi ikke bare droppe det")
    assert chat.last[-1]["text"].startswith(f"Skal jeg aflyse mødet {when(agreed)}?"), chat.text
    chat.say("ja")
    assert "er aflyst" in chat.text, chat.text
    [cancelled] = meetings_of(running, reference)
    assert (cancelled.id, cancelled.status) == (agreed.id, "cancelled")


def test_one_more_meeting_asked_for_with_the_meeting_named_is_a_request(running: RunningAssistant) -> None:
    reference = own_young_person(running)
    agreed = confirmed(running, reference, danish_today() + timedelta(days=1))
    day = next(
        danish_today() + timedelta(days=n) for n in range(2, 7) if (danish_today() + timedelta(days=n)).weekday() < 5
    )
    chat = running.chat()
    pair(running, chat, reference, "Sofie")
    chat.say(
        f"mødet m. min mentor, kan vi få et ekstra på {WEEKDAYS[day.weekday()]} kl 14? har fået et brev jeg ik fatter"
    )
    for _ in range(2):  # a yes, if it asks before it asks the mentor
        if "Jeg har bedt Lene om" in chat.text:
            break
        chat.say("ja")
    assert f"Jeg har bedt Lene om et møde {said(day, clock_time(14))}" in chat.text, chat.text
    statuses = {m.id: m.status for m in meetings_of(running, reference)}
    assert statuses[agreed.id] == "confirmed" and sorted(statuses.values()) == ["confirmed", "requested"]
