"""The purge, run as the CLI while the servers run, removes exactly what is
past its age (municipality file: 30 days for conversations and cancelled
enrollments, 90 days after the course) and nothing else; a second run removes
nothing."""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import MetaData, Table, create_engine, func, insert, select

from bot.db.models import CourseEnrollment, CourseTeam, EnrollmentStatus
from bot.runner import APP_PYTHON
from bot.shared.clock import danish_today
from bot.shared.settings import ROOT
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

DAY = 24 * 3600


def conversation_ids(url: str) -> dict[str, int]:
    engine = create_engine(url)
    events = Table("events", MetaData(), autoload_with=engine)
    with engine.connect() as connection:
        counts = dict(connection.execute(select(events.c.sender_id, func.count()).group_by(events.c.sender_id)).all())
    engine.dispose()
    return {str(k): int(v) for k, v in counts.items()}


def add_conversation(url: str, sender: str, age_days: float) -> None:
    engine = create_engine(url)
    events = Table("events", MetaData(), autoload_with=engine)
    started = time.time() - age_days * DAY
    rows = [
        {
            "sender_id": sender,
            "type_name": kind,
            "timestamp": started + i,
            "intent_name": None,
            "action_name": None,
            "data": json.dumps({"event": kind, "timestamp": started + i}),
        }
        for i, kind in enumerate(["action", "user", "bot"])
    ]
    with engine.begin() as connection:
        connection.execute(insert(events), rows)
    engine.dispose()


def purge(running: RunningAssistant) -> str:
    settings = running.assistant.settings
    env = os.environ | {"DATABASE_URL": settings.database_url, "TRACKER_STORE_URL": settings.tracker_store_url}
    done = subprocess.run([str(APP_PYTHON), "-m", "bot", "purge"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_purge_removes_exactly_what_is_past_its_age(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hej")  # a conversation of today, with Rasa's own events
    tracker_url = running.assistant.settings.tracker_store_url
    add_conversation(tracker_url, "purge-old-31-days", 31)
    add_conversation(tracker_url, "purge-recent-29-days", 29)

    today = danish_today()
    now = datetime.now(timezone.utc)
    with running.sessions.begin() as session:
        team = session.scalars(select(CourseTeam)).first()
        assert team is not None

        def enrollment(name: str, **fields: object) -> None:
            values: dict[str, object] = {
                "reference_code": f"PRG-{name[:8].upper()}",
                "team_id": team.id,
                "parent_name": name,
                "email": f"{name}@example.dk",
                "conversation_id": f"purge-{name}",
                "consent_text": "ja",
                "due_date": today + timedelta(weeks=10),
            } | fields
            session.add(CourseEnrollment(**values))

        enrollment("cancel40", status=EnrollmentStatus.CANCELLED, cancelled_at=now - timedelta(days=40))
        enrollment("cancel20", status=EnrollmentStatus.CANCELLED, cancelled_at=now - timedelta(days=20))
        enrollment("overdone", due_date=None, birth_date=today - timedelta(days=15 * 31 + 100))
        enrollment("running", due_date=None, birth_date=today - timedelta(days=15 * 31))

    before = conversation_ids(tracker_url)
    with running.sessions() as session:
        enrollments_before = set(session.scalars(select(CourseEnrollment.parent_name)))

    report = purge(running)
    assert "1 conversations (3 events), 1 cancelled enrollments, 1 enrollments whose course is over" in report

    after = conversation_ids(tracker_url)
    assert set(before) - set(after) == {"purge-old-31-days"}
    # No kept conversation lost an event (the reminder job and other tests' servers may add some meanwhile);
    # this test's own kept conversations are exactly as they were.
    assert all(after[sender] >= count for sender, count in before.items() if sender in after)
    assert chat.sender in after and "purge-recent-29-days" in after
    assert (after[chat.sender], after["purge-recent-29-days"]) == (before[chat.sender], before["purge-recent-29-days"])
    with running.sessions() as session:
        assert enrollments_before - set(session.scalars(select(CourseEnrollment.parent_name))) == {
            "cancel40",
            "overdone",
        }
    assert "0 conversations (0 events), 0 cancelled enrollments, 0 enrollments whose course is over" in purge(running)
    chat.say("hvad er familie med hjerte")  # the servers kept running through it
    assert "Familie med Hjerte" in chat.text
