"""End to end by text (SMS), the whole cycle of a meeting: a registered
young person lists and books a meeting (saved at once), staff confirm
it and are told so by text once, the reminder comes by text the day before, once, also across a restart
of every server, and the young person moves and then cancels the meeting by
text with numbered answers to the yes/no; the database and the staff app show each step.

`Texting` waits on events, not on quiet time: the end of the assistant's
turn in Rasa's tracker, then every text of the number's with the local
gateway's delivery report (the gateway keeps a text before it answers the
send, and reports it delivered after)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import sms as sms_repo
from bot.db.models import AuditEntry
from bot.db.sms_models import OutboundStatus, SmsOutbound
from bot.db.youth_models import MentorMeeting
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_handover_http import StaffBrowser
from tests.e2e.test_sms_http import Phone, register, young_person
from tests.e2e.test_youth_http import danish_day, meetings_of

pytestmark = pytest.mark.e2e
REMINDER = 'Husk dit møde med {} i morgen kl. 14.00. Kan du ikke komme, så skriv "aflys mødet" eller "ryk mødet".'
YES_OR_NO = "Svar 1 for Ja eller 2 for Nej."
CONFIRMED = (
    'Dit møde med Rasmus er bekræftet: {} kl. 14.00. Kan du ikke komme, så skriv "aflys mødet" eller "ryk mødet".'
)


class Texting(Phone):
    """A phone that waits for the assistant's turn to end and its texts to arrive."""

    def users(self) -> int:
        return sum(e["event"] == "user" for e in self.running.tracker(self.conversation)["events"])

    def outbound(self) -> list[SmsOutbound]:
        with self.running.sessions() as session:
            return sms_repo.outbound_of(session, self.conversation)

    def drained(self, timeout: float = 30) -> list[str]:
        """Every text the phone has, once each of the conversation's has its delivery report (or failed)."""
        deadline = time.monotonic() + timeout
        while any(text.status in (OutboundStatus.QUEUED, OutboundStatus.SENT) for text in self.outbound()):
            assert time.monotonic() < deadline, "texts stayed queued or without a delivery report"
            time.sleep(0.05)
        return self.received()

    def wait_turns(self, users: int, timeout: float = 60) -> None:
        """Until Rasa has `users` user messages and is listening again (its tracker is saved at the turn's end)."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.running.tracker(self.conversation)["events"]
            if sum(e["event"] == "user" for e in events) >= users and events[-1].get("name") == "action_listen":
                return
            assert time.monotonic() < deadline, "the turn did not end"
            time.sleep(0.05)

    def turn(self, text: str) -> str:
        """Text the assistant; the texts its turn sent."""
        before, users = len(self.received()), self.users()
        assert self.post(text).status_code == 200
        self.wait_turns(users + 1)
        return "\n".join(self.drained()[before:])


def told(running: RunningAssistant, reference: str, meeting_id: int, timeout: float = 75) -> MentorMeeting:
    """The meeting once a scheduler has marked its notice told (the background one may be halfway)."""
    deadline = time.monotonic() + timeout
    while True:
        [meeting] = [m for m in meetings_of(running, reference) if m.id == meeting_id]
        if meeting.staff_notice_channel is not None:
            return meeting
        assert time.monotonic() < deadline, "the notice was not told"
        time.sleep(0.05)


def reminders_of(running: RunningAssistant, conversation: str) -> list[SmsOutbound]:
    with running.sessions() as session:
        return [text for text in sms_repo.outbound_of(session, conversation) if text.body.startswith("Husk dit møde")]


def test_book_confirm_remind_once_across_a_restart_then_move_and_cancel_by_text(running: RunningAssistant) -> None:
    phone = Texting(running, "4520000201")
    reference = young_person(running, "Rasmus")
    register(running, reference, phone.number)

    assert "Dine møder med Rasmus" in phone.turn("hvilke møder har jeg?")
    reply = phone.turn("kan jeg få et møde m. min mentor næste uge om eftermiddagen")
    # Asked for at once, said back, with no buttons (nothing to answer 1 or 2 to)
    assert "Jeg har bedt Rasmus om et møde" in reply and '"fortryd"' in reply and YES_OR_NO not in reply, reply
    assert "Det er gemt" in phone.turn("ok")  # a stray yes: answered, nothing asked for twice
    [requested] = meetings_of(running, reference)
    assert (requested.status, requested.conversation_id) == ("requested", phone.conversation)
    assert requested.window_first is not None

    # Staff confirm it as they do (the CLI: the staff app has no page for meetings).
    day = requested.window_first + timedelta(days=1)
    before = len(phone.received())
    running.cli("youth", "confirm", str(requested.id), f"{day:%Y-%m-%d} 14:00", "--by", "rasmus")
    # The reminder job's next round tells the young person, once, by text: this round, or the
    # job the servers run in the background (every minute, on the real clock) when it came first.
    noon = f"{day - timedelta(days=2):%Y-%m-%d} 12:00"
    running.cli("reminders", "send", "--now", noon)
    assert told(running, reference, requested.id).staff_notice_channel == "sms"
    assert phone.drained()[before:] == [CONFIRMED.format(danish_day(day))]
    the_day_before = f"{day - timedelta(days=1):%Y-%m-%d} 09:00"
    before = len(phone.received())
    running.cli("reminders", "send", "--now", the_day_before)  # the clock moved to the day before
    assert phone.drained()[before:] == [REMINDER.format("Rasmus")]  # the reminder, not the notice again
    running.cli("reminders", "send", "--now", the_day_before)
    assert phone.drained()[before:] == [REMINDER.format("Rasmus")]  # once

    running.restart()  # every server, the local gateway too: its phones start empty
    running.cli("reminders", "send", "--now", the_day_before)
    assert phone.drained() == []  # neither sent again, nor anything left queued resent at the start
    [reminder] = reminders_of(running, phone.conversation)
    assert (reminder.kind, reminder.status) == ("reminder", OutboundStatus.DELIVERED)
    [confirmed] = meetings_of(running, reference)
    assert (confirmed.status, confirmed.reminder_sent_at is not None) == ("confirmed", True)

    # Moved, after the restart, in the same conversation.
    new_day = day + timedelta(days=2)
    assert "Hvornår kan du?" in phone.turn("kan vi rykke mødet? pga tandlæge")
    reply = phone.turn(f"d. {new_day.day}/{new_day.month} kl 10")
    assert "Skal jeg flytte mødet" in reply and reply.endswith(YES_OR_NO)
    assert "er flyttet" in phone.turn("1")
    old, new = meetings_of(running, reference)
    assert (old.id, old.status, old.reason) == (requested.id, "moved", "pga tandlæge")
    assert (new.status, new.replaces_id, new.conversation_id) == ("requested", old.id, phone.conversation)

    reply = phone.turn("jeg kan ikke komme til mødet, er syg. aflys det")
    assert "Skal jeg aflyse mødet" in reply and reply.endswith(YES_OR_NO)
    assert "er aflyst" in phone.turn("1")
    assert [(m.status, m.reason) for m in meetings_of(running, reference)] == [
        ("moved", "pga tandlæge"),
        ("cancelled", "er syg"),
    ]
    assert "Påmindelser sendt: 0" in running.cli("reminders", "send", "--now", the_day_before)

    # The mentor's view: the aftercare team sees the texts, the reminder named as one.
    staff = StaffBrowser(running, running.staff_user("sms-yrsa", role="admin", name="Yrsa"))
    page = staff.client.get(f"/samtale/{phone.conversation}").text
    assert "påmindelse · <strong>leveret</strong>" in page and "Husk dit møde med Rasmus" in page
    with running.sessions() as session:
        audited = session.scalars(select(AuditEntry.action).where(AuditEntry.target == f"meeting:{requested.id}"))
        assert list(audited) == ["confirm_meeting"]
