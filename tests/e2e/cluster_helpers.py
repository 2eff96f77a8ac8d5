"""The two-replica cluster the cluster tests share (tests/e2e/conftest.py's
`cluster` fixture: tests/e2e/test_cluster_http.py, test_cluster_redis_http.py)
and what they check it with.

The cluster runs on a Redis of its own (tests/private_redis.py), which the
Redis test kills and starts again; the machine's shared Redis is never
stopped."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import socketio
from sqlalchemy import func, select

from bot.cluster import Cluster, ServerState
from bot.db.models import CourseEnrollment
from bot.db.session import make_sessionmaker
from bot.training import RASA_PYTHON, model_path
from tests.cluster_load import Load, migrate_and_seed, stored_turns
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.e2e.conftest import e2e_settings
from tests.helpers import municipality_for_tests
from tests.private_redis import PrivateRedis

_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
RASA_PORT, ACTION_PORT, SMS_APP_PORT, SMS_GATEWAY_PORT = (p + _OFFSET for p in (20005, 20055, 20056, 20057))


@dataclasses.dataclass
class RunningCluster:
    cluster: Cluster
    redis: PrivateRedis


def redis_keys(url: str, pattern: str) -> list[str]:
    """Keys in a Redis (through the Rasa environment, which has Redis's client)."""
    script = f"import redis; print(*(k.decode() for k in redis.Redis.from_url({url!r}).keys({pattern!r})))"
    done = subprocess.run([str(RASA_PYTHON), "-c", script], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.split()


@contextlib.contextmanager
def running_cluster(folder: Path) -> Iterator[RunningCluster]:
    """Two Rasa servers and two action servers behind HAProxy, on a PostgreSQL
    database and a Redis of their own."""
    model = model_path()
    assert model.exists(), f"no trained model {model.name}: run `make test`, which trains first"
    name = _create_postgres_database()
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    try:
        migrate_and_seed(url)
        with PrivateRedis(folder) as redis:
            prefix = f"e2e-{uuid.uuid4().hex[:8]}"
            settings = dataclasses.replace(
                e2e_settings(url, url, municipality_for_tests(folder)),
                rasa_port=RASA_PORT,
                rasa_url=f"http://127.0.0.1:{RASA_PORT}",
                action_server_port=ACTION_PORT,
                sms_app_port=SMS_APP_PORT,
                sms_gateway_port=SMS_GATEWAY_PORT,
                socketio_redis_url=redis.url,
                lock_store_url=redis.url,
                redis_prefix=prefix,
            )
            with Cluster(settings=settings, model=model, with_web=False, replicas=2) as cluster:
                yield RunningCluster(cluster, redis)
            # Every lock released: no lock key left in Redis (the limits' windows
            # expire a minute after their last message).
            if redis.process is None or redis.process.poll() is not None:
                redis.start()
            assert redis_keys(redis.url, f"{prefix}:lock:*") == []
    finally:
        _drop_postgres_database(name)


def both_servers_up(running: RunningCluster) -> Cluster:
    """Redis running and both Rasa servers in the pool (a test that kills one
    leaves it to be started again here)."""
    if running.redis.process is None or running.redis.process.poll() is not None:
        running.redis.start()
    cluster = running.cluster
    cluster.revive()
    cluster.wait_until_ready(300)
    deadline = time.monotonic() + 30
    while any(server.state != "UP" for server in cluster.pool().values()):
        assert time.monotonic() < deadline, cluster.pool()
        time.sleep(0.5)
    return cluster


def check_every_conversation(cluster: Cluster, load: Load) -> int:
    """Every conversation stored complete and in order (each message once: a
    message sent again carries its id, bot/rasa_server/resend.py); returns how
    many turns were stored right after a copy of themselves."""
    stored = stored_turns(cluster.settings.tracker_store_url, list(load.sent))
    repeated = 0
    for sender, sent in load.sent.items():
        turns = stored[sender]
        repeated += sum(1 for first, then in itertools.pairwise(turns) if first.text == then.text)
        assert [turn.text for turn in turns] == sent, sender  # none lost, none twice, in order
        assert all(turn.ended for turn in turns), sender  # each turn over before the next began
        assert [turn.bot_text for turn in turns] == load.received[sender], sender  # stored what was answered
        assert [turn.at for turn in turns] == sorted(turn.at for turn in turns), sender
    return repeated


def enrolment_rows(cluster: Cluster, senders: list[str]) -> dict[str, int]:
    """How many enrolment rows each of these conversations has in the municipal database."""
    with make_sessionmaker(cluster.settings.database_url)() as session:
        return dict(
            session.execute(
                select(CourseEnrollment.conversation_id, func.count())
                .where(CourseEnrollment.conversation_id.in_(senders))
                .group_by(CourseEnrollment.conversation_id)
            ).all()
        )


@dataclasses.dataclass
class Kill:
    """What a test saw around its kill -9 of one Rasa server."""

    answered: int = 0  # turns answered before it
    at: float = 0.0  # time.monotonic() of the kill
    # When the process was gone (reaped), its sockets with it: until then the kernel
    # still takes connections for it, and a request sent on one fails with it.
    gone_at: float = 0.0
    stats_read_at: float = 0.0  # HAProxy's numbers just before it
    before: dict[str, ServerState] = dataclasses.field(default_factory=dict)
    in_flight: int = 0  # the load's requests without an answer then
    out_at: float | None = None  # when HAProxy had it out of the pool
    out: dict[str, ServerState] = dataclasses.field(default_factory=dict)


def kill_when_answered(cluster: Cluster, load: Load, answered: int, victim: str, finished: threading.Event) -> Kill:
    """kill -9 one Rasa server once the load has `answered` turns; then wait for HAProxy to take it out."""
    kill = Kill()
    while load.answered < answered:
        if finished.wait(0.05):
            return kill  # the load ended first: kill.at stays 0
    kill.stats_read_at, kill.before = time.monotonic(), cluster.pool()
    with load.lock:
        kill.answered, kill.in_flight = load.answered, load.in_flight
    os.killpg(cluster.processes[victim].pid, signal.SIGKILL)
    kill.at = time.monotonic()
    cluster.processes[victim].wait(timeout=30)
    kill.gone_at = time.monotonic()
    while time.monotonic() < kill.at + 15:
        pool = cluster.pool()
        if pool[victim].state.startswith("DOWN"):
            kill.out_at, kill.out = time.monotonic(), pool
            break
        time.sleep(0.1)
    return kill


class WidgetSocket:
    """The widget's side of its socket.io channel: a proven session, and each
    message sent with its id, waiting for its acknowledgement (sent when its
    turn is over) with the replies that came before it."""

    def __init__(self, url: str, session: dict[str, Any] | None = None) -> None:
        self.client = socketio.Client(reconnection=False)
        self.replies: list[str] = []
        self.session: dict[str, Any] = {}
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda data: (self.session.update(data), confirmed.set()))
        self.client.on("bot_uttered", lambda data: self.replies.append(str(data.get("text", ""))))
        self.client.connect(url, transports=["websocket"])
        proven = session or {}
        self.client.emit(
            "session_request", {"session_id": proven.get("session_id"), "session_token": proven.get("session_token")}
        )
        assert confirmed.wait(10), "no session_confirm"

    @property
    def session_id(self) -> str:
        return str(self.session["session_id"])

    def send(self, text: str, message_id: str | None = None, timeout: float = 60) -> tuple[object, list[str]]:
        """The acknowledgement and the replies of one message."""
        self.replies.clear()
        message = {"message": text, "session_id": self.session_id, "message_id": message_id or uuid.uuid4().hex}
        ack = self.client.call("user_uttered", message, timeout=timeout)
        # The replies came before the acknowledgement, but the client hands each
        # packet to a thread of its own: until no more come for half a second.
        count, quiet_since = -1, time.monotonic()
        while time.monotonic() < quiet_since + 0.5:
            if len(self.replies) != count:
                count, quiet_since = len(self.replies), time.monotonic()
            time.sleep(0.05)
        return ack, list(self.replies)

    def close(self) -> None:
        self.client.disconnect()
