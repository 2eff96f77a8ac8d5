"""End to end by text (SMS): the real servers and the local gateway
(bot/sms/gateway.py). A registered young person texts, lists meetings and
answers numbered choices; an unknown number gets nothing personal; a forged
or missing signature is refused with nothing stored; a retried message is
answered once; STOP stops texts, a reminder and staff's notice; danger gets 112 first; a
staff reply reaches the phone; a reminder goes by text once, never at night.
And misuse: a REST or widget message that claims an SMS identity gets
nothing personal."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from bot.db.sms_models import SmsConversation, SmsInbound
from bot.db.youth import get_by_reference
from bot.db.youth_models import MeetingStatus, MentorMeeting
from bot.rasa_client import RasaClient, bot_message
from bot.shared.clock import DANISH_TIME, danish_today
from bot.sms.numbers import conversation_id_for
from tests.e2e.conftest import RunningAssistant, SocketChat

pytestmark = pytest.mark.e2e
WEBHOOK = "/webhooks/sms/webhook"


class Phone:
    """A phone number texting the assistant through the local gateway's protocol."""

    def __init__(self, running: RunningAssistant, number: str) -> None:
        self.running, self.number = running, number
        self.settings = running.assistant.settings
        self.gateway = f"http://127.0.0.1:{self.settings.sms_gateway_port}"
        self.conversation = conversation_id_for(number, self.settings.sms_number_key)

    def received(self) -> list[str]:
        texts = httpx.get(f"{self.gateway}/phone/{self.number}/messages", timeout=10).json()
        return [t["text"] for t in texts if t["direction"] == "out"]

    def post(self, text: str, message_id: int | None = None, secret: str | None = None) -> httpx.Response:
        claims = {
            "id": message_id if message_id is not None else uuid.uuid4().int % 10**12,
            "msisdn": int(self.number),
            "receiver": 4570102030,
            "message": text,
            "senttime": int(time.time()),
        }
        token = jwt.encode(claims, secret or self.settings.sms_webhook_secret, algorithm="HS256")
        return httpx.post(
            f"{self.settings.rasa_url}{WEBHOOK}", json=claims, headers={"X-Gwapi-Signature": token}, timeout=10
        )

    def wait_texts(self, before: int, settle: float = 1.5, timeout: float = 30) -> list[str]:
        """The texts that arrived after the first `before`, once no more come for `settle` seconds."""
        deadline = time.monotonic() + timeout
        count, changed = len(self.received()), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = len(self.received())
            if now != count:
                count, changed = now, time.monotonic()
            elif count > before and time.monotonic() - changed >= settle:
                break
        return self.received()[before:]

    def say(self, text: str, message_id: int | None = None) -> str:
        before = len(self.received())
        response = self.post(text, message_id)
        assert response.status_code == 200, response.text
        return "\n".join(self.wait_texts(before))


def register(running: RunningAssistant, reference: str, number: str) -> None:
    assert "sms fra" in running.cli("sms", "number", reference, f"+{number}")


def young_person(running: RunningAssistant, mentor: str) -> str:
    """A young person of this test's own (the seeded ones are shared with test_youth_http.py)."""
    return running.add_young_person(mentor=mentor)


def test_a_registered_young_person_texts_lists_meetings_and_answers_a_numbered_choice(
    running: RunningAssistant,
) -> None:
    phone = Phone(running, "4520000102")
    register(running, "UNG-002", phone.number)
    reply = phone.say("hvilke møder har jeg?")
    assert "Jonas" in reply and "**" not in reply
    reply = phone.say("kan jeg få et møde m. min mentor næste uge om eftermiddagen")
    assert "Jeg har bedt Jonas om et møde" in reply and "Svar 1 for Ja eller 2 for Nej." not in reply
    assert phone.say("2") and "Jeg har bedt" not in phone.received()[-1]  # "2" offered nothing now: no choice
    assert "Jonas" in phone.say("hvilke møder har jeg?")  # (right after asking, "rykke mødet" would be the request)
    day = danish_today() + timedelta(days=3)
    reply = phone.say(f"kan vi rykke mødet til d. {day.day}/{day.month} kl 12")  # an agreed change: asked first
    assert "Skal jeg flytte mødet" in reply and "Svar 1 for Ja eller 2 for Nej." in reply, reply
    assert "er flyttet" in phone.say("1")


def test_an_unknown_number_gets_nothing_personal(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000199")
    reply = phone.say("hvilke møder har jeg?")
    assert "registrere dit mobilnummer" in reply
    assert not any(name in reply for name in ("Sanne", "Jonas", "Lene", "Mikkel", "Aisha", "Oliver"))
    # Even a valid pairing code does not identify a number registered on no profile.
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", running.cli("youth", "pair", "UNG-002", "--by", "ab"))
    assert code
    phone.say("jeg har en kode")
    reply = phone.say(code.group(0))
    assert "registrere dit mobilnummer" in reply and "Aisha" not in reply
    assert "registrere dit mobilnummer" in phone.say("hvilke møder har jeg?")


def count(running: RunningAssistant, model: Any) -> int:
    with running.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_forged_or_missing_signature_is_refused_and_nothing_is_stored(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000103")
    inbound, numbers = count(running, SmsInbound), count(running, SmsConversation)
    assert phone.post("hej", secret="not-the-gateway-secret-0123456789").status_code == 401
    claims = {"id": 1, "msisdn": int(phone.number), "message": "hej"}
    url = f"{phone.settings.rasa_url}{WEBHOOK}"
    assert httpx.post(url, json=claims, timeout=10).status_code == 401
    assert httpx.post(url, json=claims, headers={"X-Gwapi-Signature": "a.b.c"}, timeout=10).status_code == 401
    time.sleep(1)
    assert (count(running, SmsInbound), count(running, SmsConversation)) == (inbound, numbers)
    assert running.tracker(phone.conversation)["events"] == [] or not any(
        e["event"] == "user" for e in running.tracker(phone.conversation)["events"]
    )
    assert phone.received() == []


def test_the_same_message_id_three_times_is_answered_once(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000104")
    message_id = uuid.uuid4().int % 10**12
    assert phone.say("hej", message_id)
    texts = len(phone.received())
    for _ in range(2):
        assert phone.post("hej", message_id).status_code == 200
    time.sleep(3)
    assert len(phone.received()) == texts
    users = [e for e in running.tracker(phone.conversation)["events"] if e["event"] == "user"]
    assert len(users) == 1


def test_stop_stops_texts_and_a_reminder_until_start(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000105")
    reference = young_person(running, "Sanne")
    register(running, reference, phone.number)
    assert "afmeldt" in phone.say("STOP")
    before = len(phone.received())
    assert phone.post("STOP").status_code == 200  # confirmed once only
    assert phone.post("hvad er klokken").status_code == 200
    day = meeting_tomorrow_of(running, reference, days_ahead=70)
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        meeting_id = session.scalar(select(MentorMeeting.id).where(MentorMeeting.profile_id == profile.id))
    # Staff move the meeting while the number is stopped: no notice by text, and no chat to tell it in.
    running.cli("youth", "confirm", str(meeting_id), f"{day + timedelta(days=1):%Y-%m-%d} 15:00", "--by", "sanne")
    sent = running.cli("reminders", "send", "--now", f"{day:%Y-%m-%d} 10:00")
    assert "Beskeder om møder sendt: 0" in sent and "Påmindelser sendt: 0" in sent
    time.sleep(3)
    assert len(phone.received()) == before
    assert "igen" in phone.say("start")
    sent = running.cli("reminders", "send", "--now", f"{day:%Y-%m-%d} 10:00")
    assert "Beskeder om møder sendt: 0" in sent and "Påmindelser sendt: 1" in sent  # the notice not after START either
    assert "Husk dit møde med Sanne i morgen kl. 15.00" in "\n".join(phone.wait_texts(before + 1))
    with running.sessions() as session:
        moved = session.get(MentorMeeting, meeting_id)
        assert moved is not None and (moved.staff_notice, moved.staff_notice_channel) == ("moved", "none")


def meeting_tomorrow_of(running: RunningAssistant, reference: str, days_ahead: int) -> datetime:
    """A confirmed meeting at 14.00 the day after the returned day (far from the seeded ones)."""
    day = datetime.combine(danish_today() + timedelta(days=days_ahead), datetime.min.time(), tzinfo=DANISH_TIME)
    with running.sessions.begin() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        session.add(
            MentorMeeting(
                profile_id=profile.id,
                status=MeetingStatus.CONFIRMED,
                starts_at=day + timedelta(days=1, hours=14),
                with_whom=profile.mentor_name,
                changed_by="e2e",
            )
        )
    return day


def test_a_reminder_goes_by_text_once_and_never_at_night(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000106")
    reference = young_person(running, "Lene")
    register(running, reference, phone.number)
    day = meeting_tomorrow_of(running, reference, days_ahead=80)
    assert "Påmindelser sendt: 0" in running.cli("reminders", "send", "--now", f"{day:%Y-%m-%d} 22:30")
    assert "Påmindelser sendt: 1" in running.cli("reminders", "send", "--now", f"{day:%Y-%m-%d} 09:00")
    assert "Påmindelser sendt: 0" in running.cli("reminders", "send", "--now", f"{day:%Y-%m-%d} 09:01")
    texts = phone.wait_texts(0)
    assert texts == [
        'Husk dit møde med Lene i morgen kl. 14.00. Kan du ikke komme, så skriv "aflys mødet" eller "ryk mødet".'
    ]


def test_danger_by_text_gets_112_first(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000107")
    phone.say("jeg vil ikke leve mere, jeg har taget alle mine piller")
    assert "112" in phone.received()[0]


def test_a_staff_reply_reaches_the_phone(running: RunningAssistant) -> None:
    phone = Phone(running, "4520000108")
    phone.say("hej")
    before = len(phone.received())
    settings = running.assistant.settings
    RasaClient(settings.rasa_url, settings.rasa_api_secret).append(
        phone.conversation, [bot_message("Hej, det er **Anne** fra kommunen. Jeg ringer i morgen.", "anne")]
    )
    assert phone.wait_texts(before) == ["Hej, det er Anne fra kommunen. Jeg ringer i morgen."]


def test_rest_and_widget_messages_that_claim_an_sms_identity_get_nothing_personal(
    running: RunningAssistant,
) -> None:
    with running.sessions() as session:
        profile = get_by_reference(session, "UNG-002")
        assert profile is not None
        claimed = {"verified_profile_id": profile.id, "verified_by": "sms", "msisdn": "4520000102"}
    ask = "hvilke møder har jeg?"
    response = httpx.post(
        f"{running.assistant.settings.rasa_url}/webhooks/rest/webhook",
        json={"sender": f"sms-{uuid.uuid4().hex}", "message": ask, "metadata": claimed, "input_channel": "sms"},
        timeout=30,
    )
    text = "\n".join(m.get("text", "") for m in response.json())
    assert "hvem du er" in text and "Jonas" not in text
    settings = running.assistant.settings
    chat = SocketChat(settings.rasa_url, api_secret=settings.rasa_api_secret)
    try:
        reply = chat.say(ask, claimed)
        assert "hvem du er" in reply and "Jonas" not in reply
    finally:
        chat.close()
