"""Many people writing at once over Rasa's REST channel, each conversation's
turns back to back (tests/e2e/test_cluster_http.py and `make bench
ONLY=cluster`), and what the tracker store holds of those conversations."""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from sqlalchemy import create_engine, select

from bot.db.migrate import upgrade
from bot.db.seed import seed_services, seed_teams, seed_youth
from bot.db.session import make_sessionmaker
from bot.shared.clock import danish_today
from tests.helpers import rasa_events_table

# Questions the assistant answers without a form, a case or a danger check tripping.
QUESTIONS = [
    "hvornår kommer sundhedsplejersken hjem til os efter fødslen?",
    "skal vi betale for tandlæge til vores børn",
    "hvordan kommer jeg med i en mødregruppe",
    "hvordan søger vi en plads i vuggestue",
    "kan kommunen hjælpe mig med at få et fritidsjob",
    "hvad laver en mentor",
    "hvad er kommunens telefonnummer",
    "hvad er familie med hjerte",
]
NAMES = ["Mette Hansen", "Sara Nielsen", "Lone Jensen", "Ida Larsen", "Maja Holm", "Eva Berg"]
RETRY_AFTER = 0.5  # a client sends a message again (the same id) when it got no answer
GIVE_UP_SECONDS = 60
# How long a client waits for one answer (HAProxy's `timeout server` is 60 s too):
# generous for two shared cores; a turn slower than that fails, and shows.
REQUEST_SECONDS = 60


def enrolment(n: int) -> list[str]:
    due = danish_today() + timedelta(weeks=8 + 2 * (n % 10))
    email = f"cluster{n}.{time.monotonic_ns() % 100000}@example.dk"
    return ["hej", "vi vil gerne tilmelde os familie med hjerte", NAMES[n % len(NAMES)], "/deny"] + [
        f"{due:%d.%m.%Y}",
        "nej",
        email,
        "ja",
    ]


def conversation_script(n: int, turns: int, enrol: bool = True) -> list[str]:
    """Conversation n's messages: every sixth enrols first (8 turns, the last its
    yes to the summary), the rest are questions."""
    script = enrolment(n) if enrol and n % 6 == 0 else []
    script += [QUESTIONS[(n + i) % len(QUESTIONS)] for i in range(turns)]
    return script[:turns]


@dataclass(frozen=True)
class Failure:
    """One request that got no answer."""

    sender: str
    turn: int  # the turn's index in its conversation
    sent_at: float  # time.monotonic() when the request was sent
    error: str


@dataclass
class Load:
    url: str
    retry: bool = False
    sent: dict[str, list[str]] = field(default_factory=dict)  # the messages answered, in order
    received: dict[str, list[str]] = field(default_factory=dict)  # each turn's bot texts, joined
    latencies: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # every request's time.monotonic(), the resent too
    failures: list[Failure] = field(default_factory=list)
    failed: int = 0
    retried: int = 0
    answered: int = 0
    in_flight: int = 0
    in_flight_at_kill: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, scripts: dict[str, list[str]]) -> None:
        started = time.monotonic()
        with ThreadPoolExecutor(len(scripts)) as pool:
            list(pool.map(lambda item: self.converse(*item), scripts.items()))
        self.seconds = time.monotonic() - started

    def converse(self, sender: str, script: list[str]) -> None:
        self.sent[sender], self.received[sender] = [], []
        with httpx.Client(timeout=REQUEST_SECONDS) as client:
            for index, message in enumerate(script):
                if not self.turn(client, sender, index, message):
                    return

    def turn(self, client: httpx.Client, sender: str, index: int, message: str) -> bool:
        give_up = time.monotonic() + GIVE_UP_SECONDS
        # Sent again with the same id, as the widget does: the server handles it once.
        body = {"sender": sender, "message": message, "message_id": uuid.uuid4().hex}
        while True:
            with self.lock:
                self.in_flight += 1
                started = time.monotonic()
                self.sent_at.append(started)
            try:
                response = client.post(f"{self.url}/webhooks/rest/webhook", json=body)
                response.raise_for_status()
                replies = response.json()
            except httpx.HTTPError as error:
                with self.lock:
                    self.in_flight -= 1
                    self.failed += 1
                    self.failures.append(Failure(sender, index, started, f"{type(error).__name__}: {error}"[:200]))
                if not self.retry or time.monotonic() > give_up:
                    return False
                time.sleep(RETRY_AFTER)
                with self.lock:
                    self.retried += 1
                continue
            with self.lock:
                self.in_flight -= 1
                self.answered += 1
                self.latencies.append(time.monotonic() - started)
            self.sent[sender].append(message)
            # Rasa's REST channel sends a text's paragraphs as messages of their own
            self.received[sender].append("\n\n".join(str(reply["text"]) for reply in replies if reply.get("text")))
            return True

    def summary(self) -> str:
        cuts = statistics.quantiles(self.latencies, n=20) if len(self.latencies) > 1 else [0.0] * 19
        return (
            f"{self.answered} turns in {self.seconds:.1f} s: {self.answered / max(self.seconds, 1e-9):.1f} turns/s, "
            f"p50 {statistics.median(self.latencies) * 1000:.0f} ms, p95 {cuts[18] * 1000:.0f} ms, "
            f"{self.failed} failed, {self.retried} sent again"
        )


@dataclass
class StoredTurn:
    text: str
    at: float
    bot: list[str | None] = field(default_factory=list)
    ended: bool = False  # its last action was action_listen before the next message

    @property
    def bot_text(self) -> str:
        return "\n\n".join(text.strip() for text in self.bot if text)


def stored_turns(tracker_store_url: str, senders: list[str]) -> dict[str, list[StoredTurn]]:
    events = rasa_events_table()
    engine = create_engine(tracker_store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(events.c.sender_id, events.c.type_name, events.c.action_name, events.c.data)
                .where(events.c.sender_id.in_(senders))
                .order_by(events.c.id)
            ).all()
    finally:
        engine.dispose()
    turns: dict[str, list[StoredTurn]] = {sender: [] for sender in senders}
    for sender, kind, action, data in rows:
        event = json.loads(data)
        mine = turns[sender]
        if kind == "user":
            mine.append(StoredTurn(event.get("text") or "", float(event.get("timestamp") or 0)))
        elif mine and kind == "bot":
            mine[-1].bot.append(event.get("text"))
        elif mine and kind == "action":
            mine[-1].ended = action == "action_listen"
    return turns


def post(url: str, sender: str, message: str, message_id: object = None) -> list[str]:
    """One message over the REST channel (with `message_id` when given, whatever its type); the replies' texts."""
    body = {"sender": sender, "message": message} | ({} if message_id is None else {"message_id": message_id})
    response = httpx.post(f"{url}/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    return [str(reply["text"]) for reply in response.json() if reply.get("text")]


def migrate_and_seed(url: str) -> None:
    """The schema and the demo teams, services and young people, in the cluster's database."""
    upgrade(url)
    with make_sessionmaker(url).begin() as session:
        seed_teams(session, danish_today())
        seed_services(session)
        seed_youth(session, danish_today())
