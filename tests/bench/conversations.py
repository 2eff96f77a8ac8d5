"""The blind conversation replay (issue 17): every whole conversation of
the blind sets (tests/data/conversations_blind*.yml), each written from the
conversation contract alone by someone who saw no flow and no training data,
sent turn by turn through the running servers (Rasa's REST channel,
the action server, a database of its own), on the day its author assumed
(the header's "Today is YYYY-MM-DD", ASSISTANT_TODAY for every process,
bot/shared/clock.py; the servers start once for each day the sets assume).

A young person's conversation gets a fresh profile with the two confirmed
meetings the file's header describes and a pairing code for {CODE}. A
conversation reaches its goal when the expected outcome is in the database
or the replies (tests/bench/conversation_goals.py) and the assistant asked
no more than one question again. Prints every conversation (the turns,
shortened), the rate per category and overall for each set; target >= 95 %.

Alone: `.venv/app/bin/python -m tests.bench.conversations [id-prefix ...]`
or `make bench ONLY=conversations`. Ports: 17xxx + E2E_PORT_OFFSET.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy.orm import Session, sessionmaker

from bot.db import meetings as meeting_repo
from bot.db.migrate import upgrade
from bot.db.seed import seed_services, seed_teams
from bot.db.session import make_sessionmaker
from bot.db.youth import create_profile, issue_code
from bot.rasa_client import api_headers
from bot.runner import Assistant
from bot.shared.clock import DANISH_TIME
from bot.shared.settings import ROOT, VAR_DIR, Settings
from bot.training import model_path
from tests.bench.conversation_goals import CHECKS, Replayed, repeated_questions
from tests.helpers import municipality_for_tests

# The first set was read for error analysis in later sessions; the second is fresh.
BLIND_SETS = sorted((ROOT / "tests" / "data").glob("conversations_blind*.yml"))
TODAY = "2027-01-12"  # a header that names no day of its own: the first sets' assumption
MEETINGS = ("2027-01-15T10:00", "2027-01-19T14:00")  # each young person's two upcoming meetings
_HEADER_TODAY = re.compile(r"^# .*Today is (\d{4}-\d{2}-\d{2})", re.MULTILINE)
_HEADER_MEETINGS = re.compile(r"^# - Before each youth conversation.*$", re.MULTILINE)
_HEADER_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})")
PLAN = "Søg optagelse på hf inden 1. marts"
TARGET = 0.95
_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
RASA, ACTIONS, WEB, STAFF, SMS_APP, SMS_GATEWAY = (p + _OFFSET for p in (17005, 17055, 17000, 17001, 17056, 17057))


@dataclass(frozen=True)
class Assumed:
    """What a set's header says the world is like when its conversations start."""

    today: str = TODAY
    meetings: tuple[str, ...] = MEETINGS


def assumed(header: str) -> Assumed:
    today = _HEADER_TODAY.search(header)
    line = _HEADER_MEETINGS.search(header)
    meetings = tuple(f"{day}T{at}" for day, at in _HEADER_DATETIME.findall(line.group(0))) if line else ()
    return Assumed(today.group(1) if today else TODAY, meetings or MEETINGS)


@dataclass
class Outcome:
    id: str
    category: str
    turns: list[tuple[str, str]]
    failure: str | None

    @property
    def reached(self) -> bool:
        return self.failure is None


def bench_settings(folder: Path) -> Settings:
    secret = uuid.uuid4().hex
    return Settings(
        database_url=f"sqlite:///{folder}/municipal.db",
        tracker_store_url=f"sqlite:///{folder}/tracker.db",
        municipality_file=municipality_for_tests(folder),
        rasa_url=f"http://127.0.0.1:{RASA}",
        action_server_port=ACTIONS,
        web_port=WEB,
        rasa_port=RASA,
        log_level="WARNING",
        rasa_api_secret=f"replay-api-{secret}",
        staff_secret=f"replay-staff-{secret}",
        staff_port=STAFF,
        youth_token_secret=f"replay-youth-{secret}",
        action_server_token=f"replay-actions-{secret}",
        widget_session_secret=f"replay-widget-{secret}",
        rest_channel=True,
        sms_app_port=SMS_APP,
        sms_gateway_port=SMS_GATEWAY,
        sms_gateway_token=f"replay-gateway-{secret}",
        sms_webhook_secret=f"replay-webhook-{secret}",
        sms_internal_secret=f"replay-sms-{secret}",
        sms_number_key=f"replay-number-{secret}",
    )


@contextmanager
def pinned_day(day: str) -> Iterator[None]:
    """Every process started inside (and this one) believes `day` is today."""
    before = os.environ.get("ASSISTANT_TODAY")
    os.environ["ASSISTANT_TODAY"] = day
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ASSISTANT_TODAY", None)
        else:
            os.environ["ASSISTANT_TODAY"] = before


def young_person(sessions: sessionmaker[Session], settings: Settings, run: Replayed, world: Assumed) -> str:
    """A fresh young person with the header's two confirmed meetings; returns a pairing code."""
    with sessions.begin() as session:
        profile = create_profile(
            session,
            reference=f"UNG-{uuid.uuid4().hex[:6].upper()}",
            first_name="Sofie",
            mentor_name="Lene",
            mentor_contact="70 10 20 36",
            aftercare_ends_on=date.fromisoformat(world.today) + timedelta(days=400),
            plan_next_step=PLAN,
        )
        for when in world.meetings:
            starts = datetime.fromisoformat(when).replace(tzinfo=DANISH_TIME)
            meeting = meeting_repo.request_meeting(
                session, profile, first=starts.date(), last=starts.date(), window_text=when,
                starts_at=starts, conversation_id="setup",
            )  # fmt: skip
            meeting_repo.confirm_meeting(session, meeting, starts, by="lene")
            run.meetings[when] = meeting.id
        run.profile_id = profile.id
        return issue_code(session, profile, secret=settings.youth_token_secret, created_by="replay")


def say(client: httpx.Client, settings: Settings, sender: str, message: str) -> str:
    response = client.post(f"{settings.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message})
    response.raise_for_status()
    parts = []
    for reply in response.json():
        text = reply.get("text", "")
        buttons = [b.get("title", "") for b in reply.get("buttons", [])]
        parts.append(text + (f" [{' | '.join(buttons)}]" if buttons else ""))
    return "\n".join(parts)


def tracker_events(client: httpx.Client, settings: Settings, sender: str) -> list[dict[str, Any]]:
    response = client.get(
        f"{settings.rasa_url}/conversations/{sender}/tracker", headers=api_headers(settings.rasa_api_secret)
    )
    response.raise_for_status()
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def replay(
    conversation: dict[str, Any],
    client: httpx.Client,
    settings: Settings,
    sessions: sessionmaker[Session],
    world: Assumed,
) -> Outcome:
    run = Replayed(sender=f"replay-{conversation['id']}-{uuid.uuid4().hex[:6]}", goal=conversation["goal"])
    code = young_person(sessions, settings, run, world) if "code" in (conversation.get("setup") or {}) else ""
    turns = []
    for message in conversation["turns"]:
        text = str(message).replace("{CODE}", code)
        reply = say(client, settings, run.sender, text)
        run.replies.append(reply)
        turns.append((text, reply))
    run.events = tracker_events(client, settings, run.sender)
    with sessions() as session:
        failure = CHECKS[run.goal["kind"]](session, run)
    repeats = repeated_questions(run.replies)
    if failure is None and len(repeats) > 1:
        failure = f"asked again {len(repeats)} times: {repeats[0]!r}"
    category = re.match(r"(?:b\d+-)?([a-z]+)", conversation["id"]).group(1)  # type: ignore[union-attr]
    return Outcome(conversation["id"], category, turns, failure)


def shorten(text: str, width: int = int(os.environ.get("REPLAY_WIDTH", "110"))) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def print_outcome(outcome: Outcome) -> None:
    mark = "reached" if outcome.reached else f"NOT reached: {outcome.failure}"
    print(f"\n{outcome.id}: {mark}")
    for user, bot in outcome.turns:
        print(f"  > {shorten(user)}")
        print(f"    {shorten(bot) or '(no reply)'}")


def print_summary(outcomes: list[Outcome], path: Path) -> None:
    print(f"\nBlind conversations ({path.relative_to(ROOT)}), goal reached with <= 1 repeated question")
    for category in dict.fromkeys(o.category for o in outcomes):
        mine = [o for o in outcomes if o.category == category]
        reached = sum(o.reached for o in mine)
        print(f"  {category:10} {reached}/{len(mine)}  ({reached / len(mine):.0%})")
    reached = sum(o.reached for o in outcomes)
    rate = reached / max(len(outcomes), 1)
    print(f"  {'all':10} {reached}/{len(outcomes)}  ({rate:.1%})   target >= {TARGET:.0%}")
    failing = [o.id for o in outcomes if not o.reached]
    if failing:
        print(f"  not reached: {', '.join(failing)}")


def load(path: Path, only: list[str] | None) -> tuple[Assumed, list[dict[str, Any]]]:
    text = path.read_text(encoding="utf-8")
    conversations: list[dict[str, Any]] = yaml.safe_load(text)
    if only:
        conversations = [c for c in conversations if any(c["id"].startswith(prefix) for prefix in only)]
    return assumed(text), conversations


def replay_on_one_day(
    world: Assumed, sets: dict[Path, list[dict[str, Any]]], folder: Path
) -> dict[Path, list[Outcome]]:
    """The sets that assume the same day, through one start of the servers."""
    with pinned_day(world.today):
        settings = bench_settings(folder)
        upgrade(settings.database_url)
        sessions = make_sessionmaker(settings.database_url, immediate=True)
        with sessions.begin() as session:
            seed_teams(session, date.fromisoformat(world.today))
            seed_services(session)
        with Assistant(settings=settings, model=model_path(), with_web=False), httpx.Client(timeout=60) as client:
            return {
                path: [replay(c, client, settings, sessions, world) for c in conversations]
                for path, conversations in sets.items()
            }


def replay_all(only: list[str] | None = None) -> dict[Path, list[Outcome]]:
    """Every blind set, each on the day its header assumes; printed and summed up set by set."""
    by_day: dict[Assumed, dict[Path, list[dict[str, Any]]]] = {}
    for path in BLIND_SETS:
        world, conversations = load(path, only)
        if conversations:
            by_day.setdefault(world, {})[path] = conversations
    outcomes: dict[Path, list[Outcome]] = {}
    started = time.perf_counter()
    for world, sets in by_day.items():
        with tempfile.TemporaryDirectory() as folder:
            outcomes.update(replay_on_one_day(world, sets, Path(folder)))
    elapsed = time.perf_counter() - started
    out = VAR_DIR / "bench"
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(outcomes):
        results = outcomes[path]
        for outcome in results:
            print_outcome(outcome)
        print_summary(results, path)
        (out / f"{path.stem}.json").write_text(
            json.dumps([o.__dict__ for o in results], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    print(f"  ({elapsed:.0f} s with the servers' starts)")
    return outcomes


if __name__ == "__main__":
    replay_all(sys.argv[1:] or None)
