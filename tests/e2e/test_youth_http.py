"""End to end through the running servers: a young person identifies with a
pairing code from the CLI, asks for a meeting (saved at once, a stray yes
saving nothing twice), staff confirm it (CLI) and the chat is told, the
reminder goes out the day before (clock moved), the meeting is moved and
cancelled (each after a yes), and "log mig ud" unbinds. A service question in the middle of
asking for a meeting is answered, and the form asks again with its answers kept. Website tokens over socket.io, as the
widget sends them: valid, forged, expired, someone else's, and spoofed
metadata; two young people side by side never see each other's meetings."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock_time

import httpx
import pytest
from sqlalchemy import select

from bot.dates import format_danish_day
from bot.dates.words import MONTH_NAMES, WEEKDAY_NAMES
from bot.db.meetings import meetings_to_remind
from bot.db.models import Service
from bot.db.services import get_service
from bot.db.youth import get_by_reference
from bot.db.youth_models import MentorMeeting
from bot.rasa_client import api_headers
from bot.shared.clock import DANISH_TIME, danish_today
from bot.shared.tokens import issue
from tests.e2e.conftest import Chat, RunningAssistant, SocketChat

pytestmark = pytest.mark.e2e


def danish_day(day: date) -> str:
    """How the notices name a day: 'tirsdag den 8. december'."""
    return f"{WEEKDAY_NAMES[day.weekday()]} den {day.day}. {MONTH_NAMES[day.month - 1]}"


def meetings_of(running: RunningAssistant, reference: str) -> list[MentorMeeting]:
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        return list(
            session.scalars(
                select(MentorMeeting).where(MentorMeeting.profile_id == profile.id).order_by(MentorMeeting.id)
            )
        )


def pair(running: RunningAssistant, chat: Chat, reference: str, first_name: str = "Oliver") -> None:
    output = running.cli("youth", "pair", reference, "--by", "ab")
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", output)
    assert code, output
    chat.say("jeg vil logge ind med min kode")
    assert "Skriv den kode" in chat.text
    chat.say(code.group(0).lower())
    assert f"Tak, {first_name}!" in chat.text


def own_young_person(running: RunningAssistant) -> str:
    return running.add_young_person(mentor_contact="lene@example.dk")


def test_pair_book_confirm_remind_move_cancel_and_log_out(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hvornår ser jeg min mentor næste gang?")
    assert "hvem du er" in chat.text and "Lene" not in chat.text  # nothing before identity
    pair(running, chat, "UNG-003")
    # Other tests may have booked for the same young person before (any order): only this test's meetings count.
    known = {m.id for m in meetings_of(running, "UNG-003")}

    def mine() -> list[MentorMeeting]:
        return [m for m in meetings_of(running, "UNG-003") if m.id not in known]

    chat.say("kan jeg få et møde m. min mentor næste uge om eftermiddagen")
    assert "Jeg har bedt Lene om et møde mellem" in chat.text and "bekræftet" in chat.text, chat.text
    assert "om eftermiddagen" in chat.text and '"fortryd"' in chat.text  # what was saved, and how to take it back
    chat.say("ja")  # the yes many still give: answered, nothing asked for twice
    assert "Det er gemt" in chat.text and "Jeg har bedt" not in chat.text, chat.text
    [requested] = mine()
    assert requested.status == "requested" and requested.window_first is not None

    day = requested.window_first + timedelta(days=1)
    # Counted before staff confirm: the job the servers run in the background (every minute,
    # on the real clock) may tell the confirmation before this test's round does.
    before = len(running.tracker(chat.sender)["events"])
    running.cli("youth", "confirm", str(requested.id), f"{day:%Y-%m-%d} 14:00", "--by", "lene")
    the_day_before = f"{day - timedelta(days=1):%Y-%m-%d} 09:00"
    assert re.search(r"Påmindelser sendt: [1-9]", running.cli("reminders", "send", "--now", the_day_before))
    assert "Påmindelser sendt: 0" in running.cli("reminders", "send", "--now", the_day_before)  # once only
    reminders = [e["text"] for e in running.tracker(chat.sender)["events"][before:] if e["event"] == "bot"]
    assert reminders == [  # staff's confirmation told in the chat (no number registered), then the reminder
        f"Dit møde med Lene er bekræftet: {danish_day(day)} kl. 14.00. "
        'Kan du ikke komme, så skriv "aflys mødet" eller "ryk mødet".',
        'Husk dit møde med Lene i morgen kl. 14.00. Kan du ikke komme, så skriv "aflys mødet" eller "ryk mødet".',
    ]

    new_day = day + timedelta(days=2)
    chat.say("kan vi rykke mødet? pga tandlæge")
    assert "Hvornår kan du?" in chat.text
    chat.say(f"d. {new_day.day}/{new_day.month} kl 10")
    assert "Skal jeg flytte mødet" in chat.text and "Hvorfor?" not in chat.text  # a reason is never asked for
    chat.say("ja")
    assert "er flyttet" in chat.text
    old, new = mine()
    assert (old.status, old.reason, new.status, new.replaces_id) == ("moved", "pga tandlæge", "requested", old.id)

    chat.say("jeg kan ikke komme til mødet, aflys det")
    assert "Skal jeg aflyse mødet" in chat.text
    chat.say("ja")
    assert "er aflyst" in chat.text
    assert [(m.status, m.reason) for m in mine()] == [("moved", "pga tandlæge"), ("cancelled", "ikke oplyst")]

    chat.say("log mig ud")
    assert "logget ud" in chat.text
    chat.say("hvilke møder har jeg?")
    assert "hvem du er" in chat.text


def test_website_tokens_over_the_widget_channel(running: RunningAssistant) -> None:
    settings = running.assistant.settings
    secret = settings.youth_token_secret
    with running.sessions() as session:
        mikkel = get_by_reference(session, "UNG-001")
        aisha = get_by_reference(session, "UNG-002")
        assert mikkel is not None and aisha is not None
        mikkel_id, aisha_id = mikkel.id, aisha.id
    ask = "hvornår ser jeg min mentor næste gang?"
    mikkel_chat = SocketChat(settings.rasa_url, api_secret=settings.rasa_api_secret)
    aisha_chat = SocketChat(settings.rasa_url, api_secret=settings.rasa_api_secret)
    try:
        # Side by side, each with their own token: each sees only their own mentor.
        assert "Sanne" in mikkel_chat.say(ask, {"token": issue(mikkel_id, secret)})
        reply = aisha_chat.say(ask, {"token": issue(aisha_id, secret)})
        assert "Jonas" in reply and "Sanne" not in reply
        # Aisha's valid token in Mikkel's conversation gets nothing.
        reply = mikkel_chat.say(ask, {"token": issue(aisha_id, secret)})
        assert "anden person" in reply and "Jonas" not in reply
        # Forged (another key), tampered and expired tokens get nothing.
        forged = issue(mikkel_id, "not-the-municipality-secret-0123456789")
        header, payload, signature = issue(mikkel_id, secret).split(".")
        expired = issue(mikkel_id, secret, now=time.time() - 3600)
        for bad in [forged, f"{header}.{payload}x.{signature}", expired]:
            reply = mikkel_chat.say(ask, {"token": bad})
            assert "udløbet eller virker ikke" in reply and "Sanne" not in reply
        # A client claiming an identity in the metadata is not believed.
        stranger = SocketChat(settings.rasa_url, api_secret=settings.rasa_api_secret)
        try:
            reply = stranger.say(ask, {"verified_profile_id": mikkel_id})
            assert "hvem du er" in reply and "Sanne" not in reply
        finally:
            stranger.close()
    finally:
        mikkel_chat.close()
        aisha_chat.close()


def test_log_a_meeting_saved_at_once_its_day_and_time_corrected_and_taken_back(
    running: RunningAssistant,
) -> None:
    chat = running.chat()
    reference = own_young_person(running)
    pair(running, chat, reference, "Sofie")
    today = danish_today()
    yesterday, two_days_ago = today - timedelta(days=1), today - timedelta(days=2)
    chat.say("havde møde m. min mentor igår, det gik fint")
    assert f"Gemt! Mødet {format_danish_day(yesterday, today)} med Lene" in chat.text, chat.text  # saved at once
    assert '"fortryd"' in chat.text and "Skal jeg" not in chat.text
    chat.say(f"nej det var d. {two_days_ago.day}/{two_days_ago.month}")  # the day in the receipt, corrected
    assert f"Rettet! Mødet er nu skrevet ind {format_danish_day(two_days_ago, today)}" in chat.text, chat.text
    chat.say("nej")  # no note: the meeting kept
    assert "gemt uden note" in chat.text, chat.text
    [held] = meetings_of(running, reference)
    assert held.status == "held" and held.starts_at is not None
    assert (held.rating, held.how_it_went) == (None, "fint")  # "fint" as said, no number made of it
    assert held.starts_at.astimezone(DANISH_TIME).date() == two_days_ago

    chat.say("det var kl 15")  # a correction after the save changes what was saved
    assert "Rettet!" in chat.text and "kl. 15.00" in chat.text, chat.text
    [held] = meetings_of(running, reference)
    assert held.starts_at is not None
    assert held.starts_at.astimezone(DANISH_TIME) == datetime.combine(two_days_ago, clock_time(15), DANISH_TIME)

    chat.say("fortryd")
    assert "slettet mødet" in chat.text, chat.text
    assert meetings_of(running, reference) == []
    chat.say("fortryd")  # twice: nothing more to take back, and it says so
    assert "allerede fortrudt" in chat.text, chat.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jeg er startet på hf på vuc", {("programme", "hf"), ("institution", "vuc")}),
        ("er stoppet på tømreruddannelsen", {("programme", "tømreruddannelsen")}),
        ("har skiftet til eux på tech college", {("programme", "eux"), ("institution", "tech college")}),
    ],
)
def test_programme_and_institution_are_extracted(
    running: RunningAssistant, text: str, expected: set[tuple[str, str]]
) -> None:
    settings = running.assistant.settings
    parsed = httpx.post(
        f"{settings.rasa_url}/model/parse",
        headers=api_headers(settings.rasa_api_secret),
        json={"text": text},
        timeout=30,
    ).json()
    assert parsed["intent"]["name"] == "update_education"
    assert {(e["entity"], e["value"].lower()) for e in parsed["entities"]} == expected


def test_report_stopping_an_education_and_see_the_status(running: RunningAssistant) -> None:
    chat = running.chat()
    pair(running, chat, "UNG-003")
    chat.say("jeg er stoppet på hf")
    assert "Gemt: du er stoppet på hf i dag" in chat.text and "Ungeindsatsen" in chat.text, chat.text
    chat.say("nej tak")  # to the talk offered: no undo
    assert "Helt okay" in chat.text, chat.text
    chat.say("hvordan ser min uddannelsesplan ud?")
    assert "stoppet på hf" in chat.text and "Starte på FGU" in chat.text


def service(running: RunningAssistant, topic: str) -> Service:
    """The topic's row as the assistant answers from it now (another test may have edited it)."""
    with running.sessions() as session:
        row = get_service(session, topic)
        assert row is not None
        session.expunge(row)
        return row


def test_a_service_question_while_asking_for_a_meeting_is_answered_and_the_form_goes_on(
    running: RunningAssistant,
) -> None:
    chat = running.chat()
    reference = own_young_person(running)
    pair(running, chat, reference, "Sofie")
    ask_when = 'Hvornår kan du? Fx "næste uge om eftermiddagen" eller "torsdag kl 14".'
    chat.say("kan jeg få et møde med min mentor?")
    assert chat.last[-1]["text"] == ask_when

    chat.say("hvad er efterværn")
    aftercare = service(running, "efterværn")
    assert chat.last[0]["text"] == aftercare.answer and chat.last[-1]["text"] == ask_when
    assert running.tracker(chat.sender)["active_loop"]["name"] == "book_meeting_form"
    chat.click("/ask_read_more")  # the answer's button: a follow-up about the same service
    assert aftercare.read_more in chat.text and chat.last[-1]["text"] == ask_when

    assert meetings_of(running, reference) == []  # nothing saved by a question

    day = danish_today() + timedelta(days=3)
    chat.say(f"d. {day.day}/{day.month} kl 14")  # the time asked for: saved at once, said back
    assert f"Jeg har bedt Lene om et møde {format_danish_day(day, danish_today())} kl. 14.00" in chat.text, chat.text
    [requested] = meetings_of(running, reference)
    assert requested.status == "requested" and requested.starts_at is not None
    assert requested.starts_at.astimezone(DANISH_TIME) == datetime.combine(day, clock_time(14), DANISH_TIME)
    assert running.tracker(chat.sender)["active_loop"] in ({}, None, {"name": None})
    chat.say("hvad er en mentor?")  # a question right after: answered, nothing saved or taken back
    assert chat.last[0]["text"] == service(running, "mentor").answer
    assert [m.status for m in meetings_of(running, reference)] == ["requested"]


def test_two_reminder_schedulers_at_once_tell_the_confirmation_and_the_reminder_once(running: RunningAssistant) -> None:
    """Two `reminders send` processes at the same moment (two servers in a
    cluster, or a restart overlapping the old one): the young person gets one."""
    reference = own_young_person(running)
    chat = running.chat()
    pair(running, chat, reference, first_name="Sofie")
    chat.say("kan jeg få et møde med min mentor i næste uge")
    [requested] = meetings_of(running, reference)
    assert requested.window_first is not None
    day = requested.window_first + timedelta(days=1)
    before = len(running.tracker(chat.sender)["events"])  # before the background job can tell the confirmation
    running.cli("youth", "confirm", str(requested.id), f"{day:%Y-%m-%d} 11:00", "--by", "lene")
    the_day_before = f"{day - timedelta(days=1):%Y-%m-%d} 09:00"
    # Other tests' meetings (any order, one database) may be due at the same moment: each is counted too.
    pretend = datetime.strptime(the_day_before, "%Y-%m-%d %H:%M").replace(tzinfo=DANISH_TIME)
    with running.sessions() as session:
        due = [m.id for m in meetings_to_remind(session, pretend)]
    assert requested.id in due
    with ThreadPoolExecutor(2) as pool:
        outputs = list(pool.map(lambda _: running.cli("reminders", "send", "--now", the_day_before), range(2)))
    sent = [int(re.findall(r"Påmindelser sendt: (\d+)", output)[0]) for output in outputs]
    with running.sessions() as session:
        reminded = [i for i in due if (m := session.get(MentorMeeting, i)) and m.reminder_sent_at is not None]
    told = [e["text"] for e in running.tracker(chat.sender)["events"][before:] if e["event"] == "bot"]
    # staff's confirmation and the reminder, each once
    assert [t.split(":")[0].split(" i morgen")[0] for t in told] == [
        "Dit møde med Lene er bekræftet",
        "Husk dit møde med Lene",
    ], told
    # Every reminder that went out counted by one scheduler only: the other found it taken, or already sent.
    assert requested.id in reminded and sum(sent) == len(reminded), (sent, due, reminded)
