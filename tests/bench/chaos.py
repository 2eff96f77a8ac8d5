"""`make chaos`: faults on the running assistant while 20 parents enrol at once.

A fault schedule runs beside 20 concurrent enrolments over HTTP (each a
person who, told that something went wrong, writes the same message again
after a moment, and whose client sends a message again when the server did
not answer at all, as the widget does):

1. the action server killed with kill -9 (started again by the supervisor,
   as `make run` does every second);
2. the Rasa server killed with kill -9 (started again, its model loaded anew);
3. the tracker store locked by another transaction for 6 s;
4. the municipal database locked for 8 s;
5. the web server, the staff app and the reminder job killed with kill -9,
   one after another, while pollers ask the first two every half second and
   ten young people's reminders fall due around the reminder job's death
   (tests/bench/chaos_processes.py).

Prints: turns sent, turns answered, turns answered with a fault message,
turns lost (sent again until answered; lost: never answered, target 0),
rows half-written (enrolments that do not match what the conversations were
told, or twice; target 0), turns the tracker store lost (a turn answered
normally but missing from the stored conversation; target 0), and the time
to recover from each fault (from its start until a turn is answered
normally again); for the other processes, how often they answered the
pollers, when each was back, and the reminders told once, twice or never
(targets: twice 0, never 0). Asserts nothing.
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.db.migrate import upgrade
from bot.db.models import CourseEnrollment
from bot.db.seed import seed_teams
from bot.db.session import make_sessionmaker
from bot.domain import load_domain
from bot.rasa_client import api_headers
from bot.runner import Assistant
from bot.shared.clock import danish_today
from bot.shared.settings import VAR_DIR, Settings
from bot.training import model_path
from tests.bench.chaos_processes import Pollers, process_faults, wait_for_reminders
from tests.bench.run import PARENTS, bench_settings
from tests.helpers import database_locked

PEOPLE = 20
ARRIVALS_OVER = 30.0  # seconds
GIVE_UP_SECONDS = 150.0  # a turn not answered in this time is lost (the Rasa server restarts in about 60 s)
PORT = 18000 + int(os.environ.get("E2E_PORT_OFFSET", "0"))  # the replay uses 17xxx
RESPONSES = load_domain()["responses"]
FAULT_TEXTS = {
    name: RESPONSES[name][0]["text"].split(",")[0].split(".")[0]
    for name in (
        "utter_action_unavailable",
        "utter_message_not_received",
        "utter_enrollment_database_error",
        "utter_database_error",
    )
}
ENROLLED = "I er tilmeldt"
OUT = VAR_DIR / "bench"


@dataclass
class Tally:
    sent: int = 0
    answered: int = 0
    fault_answers: int = 0
    lost: int = 0
    normal_at: list[float] = field(default_factory=list)  # when a turn was answered normally
    told_enrolled: dict[str, str] = field(default_factory=dict)  # conversation -> email
    answered_turns: dict[str, list[str]] = field(default_factory=dict)
    transcripts: dict[str, list[str]] = field(default_factory=dict)  # written to var/bench/chaos.txt
    lock: threading.Lock = field(default_factory=threading.Lock)


def fault_in(replies: list[dict[str, object]]) -> bool:
    text = " ".join(str(r.get("text", "")) for r in replies)
    return any(marker in text for marker in FAULT_TEXTS.values())


def say(client: httpx.Client, url: str, sender: str, message: str, tally: Tally) -> list[dict[str, object]]:
    """One turn as a person and the widget make it: sent again when nothing
    came back (the server was down: the widget keeps it and sends it once
    connected), written again when told of a fault."""
    transcript = tally.transcripts.setdefault(sender, [])
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        with tally.lock:
            tally.sent += 1
        try:
            response = client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message})
            response.raise_for_status()
            replies: list[dict[str, object]] = response.json()
        except httpx.HTTPError as error:
            transcript.append(f"> {message}\n  ({type(error).__name__})")
            time.sleep(1.0)  # the widget's retry
            continue
        transcript.append(f"> {message}\n" + "\n".join(f"< {r.get('text', '')}" for r in replies))
        if not replies:
            time.sleep(1.0)
            continue
        if fault_in(replies):
            with tally.lock:
                tally.fault_answers += 1
            time.sleep(2.0)  # "skriv den igen om lidt"
            continue
        with tally.lock:
            tally.answered += 1
            tally.normal_at.append(time.monotonic())
            tally.answered_turns.setdefault(sender, []).append(message)
        return replies
    with tally.lock:
        tally.lost += 1
    return []


def enrol(url: str, n: int, tally: Tally) -> None:
    sender = f"chaos-{n}-{uuid.uuid4().hex[:6]}"
    email = f"chaos{n}.{uuid.uuid4().hex[:4]}@example.dk"
    due = (danish_today() + timedelta(weeks=12)).strftime("%d.%m.%Y")
    name = PARENTS[n % len(PARENTS)]
    # At the summary "andet hold", then the teams offered, spread over the people
    # (one team has not seats for all), and the summary's yes.
    turns = ["hej", "vi vil gerne tilmelde os kurset", name, "/deny", due, "nej", email, "andet hold", None, "ja"]
    buttons: list[dict[str, str]] = []
    time.sleep(random.uniform(0, ARRIVALS_OVER))  # people arrive over the first seconds, so faults meet every step
    with httpx.Client(timeout=40) as client:
        for turn in turns:
            message = turn if turn is not None else (buttons[n % len(buttons)]["payload"] if buttons else "1")
            replies = say(client, url, sender, message, tally)
            buttons = [b for r in replies for b in r.get("buttons", [])]  # type: ignore[attr-defined]
            if any(ENROLLED in str(r.get("text", "")) for r in replies):
                with tally.lock:
                    tally.told_enrolled[sender] = email
            time.sleep(random.uniform(0.5, 1.5))  # reading and typing


def kill(assistant: Assistant, name: str) -> None:
    os.killpg(assistant.processes[name].pid, signal.SIGKILL)


def supervise(assistant: Assistant, stop: threading.Event) -> None:
    """What `make run` does (bot/runner.py supervise): start again what died."""
    while not stop.is_set():
        assistant.revive()
        time.sleep(1.0)


def schedule(assistant: Assistant, settings: Settings, due: dict[str, list[str]]) -> list[tuple[str, float, float]]:
    """The faults, one after another; returns (name, started, ended)."""
    faults: list[tuple[float, str, Callable[[], None]]] = [
        (4, "action server killed (kill -9)", lambda: kill(assistant, "actions")),
        (6, "Rasa server killed (kill -9)", lambda: kill(assistant, "rasa")),
        (3, "tracker store locked 6 s", lambda: hold(settings.tracker_store_url, "events", 6)),
        (
            5,
            "municipal database locked 8 s",
            lambda: hold(settings.database_url, "course_enrollments", 8),
        ),
        *process_faults(lambda name: kill(assistant, name), settings, due),
    ]
    done: list[tuple[str, float, float]] = []
    for pause, name, fault in faults:
        time.sleep(pause)
        started = time.monotonic()
        fault()
        done.append((name, started, time.monotonic()))
        if name.startswith("Rasa"):
            time.sleep(2)  # the supervisor starts it again; the next fault once it is back
            assistant.wait_until_ready(300)
    return done


def hold(url: str, table: str, seconds: float) -> None:
    with database_locked(url, table):
        time.sleep(seconds)


def stored_user_turns(settings: Settings, sender: str) -> list[str]:
    response = httpx.get(
        f"{settings.rasa_url}/conversations/{sender}/tracker", headers=api_headers(settings.rasa_api_secret), timeout=30
    )
    return [e["text"] for e in response.json()["events"] if e["event"] == "user"]


def report_processes(
    settings: Settings, pollers: Pollers, due: dict[str, list[str]], faults: list[tuple[str, float, float]]
) -> None:
    told = wait_for_reminders(settings, [c for batch in due.values() for c in batch], timeout=420)
    print(f"  reminders due (5 before the reminder job was killed, 5 after) {len(told)}")
    print(f"  reminders told once                                     {sum(n == 1 for n in told.values())}")
    print(f"  reminders told twice or more                            {sum(n > 1 for n in told.values())}   target 0")
    print(f"  reminders not told (lost)                               {sum(n == 0 for n in told.values())}   target 0")
    for name, poll in pollers.polls.items():
        print(f"  {name} polled every 0.5 s: answered {poll.answered}, failed {poll.failed}")
    for name, started, _ended in faults:
        for process in pollers.polls:
            if name.startswith(process):
                print(f"  {name:<36} back in {pollers.recovered(process, started)}")


def report(settings: Settings, tally: Tally, faults: list[tuple[str, float, float]]) -> None:
    with make_sessionmaker(settings.database_url)() as session:
        rows = Counter(
            session.scalars(
                select(CourseEnrollment.conversation_id).where(CourseEnrollment.conversation_id.like("chaos-%"))
            )
        )
        total = session.scalar(select(func.count()).select_from(CourseEnrollment))
    half_written = sum(1 for sender in tally.told_enrolled if rows.get(sender) != 1)
    half_written += sum(1 for sender, count in rows.items() if sender not in tally.told_enrolled or count > 1)
    missing = 0
    for sender, turns in tally.answered_turns.items():
        # A typed payload the assistant did not offer is stored without its slash (bot/rasa_server/launcher.py).
        lost = Counter(t.lstrip("/") for t in turns) - Counter(
            t.lstrip("/") for t in stored_user_turns(settings, sender)
        )
        missing += sum(lost.values())
        if lost:
            tally.transcripts[sender].append(f"!! answered but not in the stored conversation: {dict(lost)}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "chaos.txt").write_text(
        "\n\n".join(f"## {sender}\n" + "\n".join(lines) for sender, lines in tally.transcripts.items()),
        encoding="utf-8",
    )
    print(f"\nFaults during {PEOPLE} concurrent enrolments over HTTP (make chaos)")
    print(f"  turns sent (with the person's and the client's retries) {tally.sent}")
    print(f"  turns answered normally                                 {tally.answered}")
    print(f"  turns answered with a fault message                     {tally.fault_answers}")
    print(f"  turns lost (never answered after retries)               {tally.lost}   target 0")
    print(f"  rows half-written or twice ({len(rows)} enrolment rows, {total} in all) {half_written}   target 0")
    print(f"  answered turns missing from the stored conversation     {missing}   target 0")
    print(f"  enrolments finished                                     {len(tally.told_enrolled)} of {PEOPLE}")
    print(f"  (each conversation, turn by turn: {OUT / 'chaos.txt'})")
    for name, started, ended in faults:
        if not name.startswith(("action", "Rasa", "tracker", "municipal")):
            continue  # the other processes: report_processes
        after = [t for t in tally.normal_at if t > ended]
        recovered = f"{min(after) - started:.1f} s" if after else "not recovered"
        print(f"  {name:<36} time to recover {recovered}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/municipal.db"
        upgrade(url)
        with make_sessionmaker(url).begin() as session:
            seed_teams(session, danish_today())
        settings = replace(
            bench_settings(Path(folder), PORT, "chaos"), staff_port=PORT + 1, staff_secret=uuid.uuid4().hex * 2
        )
        with Assistant(settings=settings, model=model_path(), with_web=True) as assistant:
            tally, due = Tally(), {}
            pollers = Pollers(settings)
            pollers.thread.start()
            stop = threading.Event()
            supervisor = threading.Thread(target=supervise, args=(assistant, stop), daemon=True)
            supervisor.start()
            with ThreadPoolExecutor(max_workers=PEOPLE + 1) as pool:
                faults = pool.submit(schedule, assistant, settings, due)
                list(pool.map(enrol, [settings.rasa_url] * PEOPLE, range(PEOPLE), [tally] * PEOPLE))
                done = faults.result()
            time.sleep(5)  # the pollers see the last process back
            stop.set()
            supervisor.join()
            pollers.stop.set()
            assistant.revive()  # the last fault may have come after the last conversation
            assistant.wait_until_ready(180)
            report(settings, tally, done)
            report_processes(settings, pollers, due, done)


if __name__ == "__main__":
    main()
