"""`make chaos`, the processes beside the conversations: the web server, the
staff app and the reminder job, each killed with kill -9 under load. Pollers
ask the web server and the staff app every half second (answered, failed,
time to recover); young people's reminders fall due before and after the
reminder job is killed, and each must be sent exactly once."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from bot.db.meetings import confirm_meeting
from bot.db.session import make_sessionmaker
from bot.db.youth import bind, create_profile
from bot.db.youth_models import MentorMeeting
from bot.rasa_client import api_headers
from bot.shared.clock import DANISH_TIME, danish_today
from bot.shared.settings import Settings

REMINDER_START = "Husk dit møde med"


@dataclass
class Poll:
    url: str
    answered: int = 0
    failed: int = 0
    failed_at: list[float] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)


class Pollers:
    """The web server's /health and the staff app's /ready, every half second."""

    def __init__(self, settings: Settings) -> None:
        self.polls = {
            "web server": Poll(f"http://localhost:{settings.web_port}/health"),
            "staff app": Poll(f"http://127.0.0.1:{settings.staff_port}/ready"),
        }
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        with httpx.Client(timeout=2) as client:
            while not self.stop.is_set():
                for poll in self.polls.values():
                    try:
                        ok = client.get(poll.url).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    poll.answered += ok
                    poll.failed += not ok
                    (poll.answered_at if ok else poll.failed_at).append(time.monotonic())
                time.sleep(0.5)

    def recovered(self, name: str, killed_at: float) -> str:
        poll = self.polls[name]
        back = [t for t in poll.answered_at if t > killed_at]
        return f"{min(back) - killed_at:.1f} s" if back else "not recovered"


def reminders_due(settings: Settings, label: str, count: int) -> list[str]:
    """`count` young people, each with a chat and a confirmed meeting tomorrow at 14.00: due now."""
    sessions = make_sessionmaker(settings.database_url)
    tomorrow = datetime.combine(danish_today() + timedelta(days=1), datetime.min.time(), DANISH_TIME)
    conversations = []
    with sessions.begin() as session:
        for n in range(count):
            tag = uuid.uuid4().hex[:6].upper()
            profile = create_profile(
                session,
                reference=f"UNG-{label}{n}-{tag}",
                first_name="Kim",
                mentor_name="Lene",
                mentor_contact="lene@example.dk",
                aftercare_ends_on=danish_today() + timedelta(days=365),
            )
            conversation = f"chaos-ung-{label}{n}-{tag.lower()}"
            bind(session, conversation, profile.id, "pairing")
            meeting = MentorMeeting(profile_id=profile.id, status="requested", with_whom="Lene", changed_by="kim")
            session.add(meeting)
            session.flush()
            confirm_meeting(session, meeting, tomorrow + timedelta(hours=14), "lene")
            conversations.append(conversation)
    return conversations


def reminders_told(settings: Settings, conversation: str) -> int:
    response = httpx.get(
        f"{settings.rasa_url}/conversations/{conversation}/tracker",
        headers=api_headers(settings.rasa_api_secret),
        timeout=30,
    )
    events = response.json().get("events") or []
    return sum(1 for e in events if e["event"] == "bot" and str(e.get("text") or "").startswith(REMINDER_START))


def wait_for_reminders(settings: Settings, conversations: list[str], timeout: float) -> dict[str, int]:
    """Until every meeting is marked reminded (or the time is up); then each conversation's reminders told."""
    sessions = make_sessionmaker(settings.database_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as session:
            unsent = session.scalars(
                select(MentorMeeting.id).where(
                    MentorMeeting.status == "confirmed", MentorMeeting.reminder_sent_at.is_(None)
                )
            ).all()
        if not unsent:
            break
        time.sleep(2)
    return {conversation: reminders_told(settings, conversation) for conversation in conversations}


def process_faults(
    kill: Callable[[str], None], settings: Settings, due: dict[str, list[str]]
) -> list[tuple[float, str, Callable[[], None]]]:
    """Faults for chaos.py's schedule: (pause before, name, fault). Reminders fall due just before the
    reminder job is killed and again just after, so its rounds meet the kill and the restart."""

    def kill_reminders() -> None:
        due["before"] = reminders_due(settings, "F", 5)
        time.sleep(0.5)
        kill("reminders")
        due["after"] = reminders_due(settings, "E", 5)

    return [
        (3, "web server killed (kill -9)", lambda: kill("web")),
        (3, "staff app killed (kill -9)", lambda: kill("staff")),
        (3, "reminder job killed (kill -9)", kill_reminders),
    ]
