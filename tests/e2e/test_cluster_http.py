"""The assistant on two replicas (bot/cluster.py, `bot run --replicas 2`):
two Rasa servers and two action servers behind HAProxy, PostgreSQL as
tracker store and municipal database, Redis for the conversations' locks
and the widget's socket.io rooms.

- Many conversations at once through HAProxy: every conversation's events
  in the tracker store complete and in order (each message once, in the
  order sent, each turn ending at action_listen before the next, the bot
  messages stored exactly those the client got), every enrolment a
  conversation was told of stored once, and both servers took turns.
- One Rasa server killed with kill -9 in the middle of that: it leaves the
  pool within seconds, the conversations go on through the other, only the
  turns in flight fail, and sent again (as the widget does) each is stored
  once.
- A staff answer and a reminder sent through server B (the HTTP API with
  output_channel "latest") reach a socket.io client connected to server A.
- A long-polling client through HAProxy (the widget's fall-back) stays on
  one server and gets messages sent through either.

Smaller than the issue's 50 conversations x 20 turns, so that the module
stays within a few minutes on two shared cores; `make bench ONLY=cluster`
runs the full size (tests/bench/cluster.py).
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import socketio
from sqlalchemy import func, select

from bot.cluster import Cluster
from bot.db.migrate import upgrade
from bot.db.models import CourseEnrollment
from bot.db.seed import seed_services, seed_teams, seed_youth
from bot.db.session import make_sessionmaker
from bot.db.youth_models import MentorMeeting
from bot.rasa_client import RasaClient, bot_message
from bot.runner import LOG_DIR
from bot.shared.clock import danish_today
from bot.training import RASA_PYTHON, model_path
from tests.cluster_load import QUESTIONS, Load, conversation_script, post, stored_turns
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.e2e.conftest import APP_PYTHON, ROOT, SocketChat, e2e_settings
from tests.helpers import MESSAGES_PER_MINUTE, municipality_for_tests

pytestmark = pytest.mark.e2e

_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
RASA_PORT, ACTION_PORT, SMS_APP_PORT, SMS_GATEWAY_PORT = (p + _OFFSET for p in (20005, 20055, 20056, 20057))
REDIS_URL = "redis://127.0.0.1:6379/6"  # a database number of the tests' own
CONVERSATIONS, TURNS = 24, 12
KILLED_CONVERSATIONS, KILLED_TURNS = 12, 10
ANSWERED_AGAIN = "a message sent again was answered from its stored turn"  # bot/rasa_server/resend.py's log


def redis_keys(pattern: str) -> list[str]:
    """Keys in the tests' Redis database (through the Rasa environment, which has Redis's client)."""
    script = f"import redis; print(*(k.decode() for k in redis.Redis.from_url({REDIS_URL!r}).keys({pattern!r})))"
    done = subprocess.run([str(RASA_PYTHON), "-c", script], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.split()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    model = model_path()
    assert model.exists(), f"no trained model {model.name}: run `make test`, which trains first"
    name = _create_postgres_database()
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    upgrade(url)
    with make_sessionmaker(url).begin() as session:
        seed_teams(session, danish_today())
        seed_services(session)
        seed_youth(session, danish_today())
    prefix = f"e2e-{uuid.uuid4().hex[:8]}"
    settings = dataclasses.replace(
        e2e_settings(url, url, municipality_for_tests(tmp_path_factory.mktemp("municipality"))),
        rasa_port=RASA_PORT,
        rasa_url=f"http://127.0.0.1:{RASA_PORT}",
        action_server_port=ACTION_PORT,
        sms_app_port=SMS_APP_PORT,
        sms_gateway_port=SMS_GATEWAY_PORT,
        socketio_redis_url=REDIS_URL,
        lock_store_url=REDIS_URL,
        redis_prefix=prefix,
    )
    cluster = Cluster(settings=settings, model=model, with_web=False, replicas=2)
    try:
        with cluster:
            yield cluster
        # Every lock released: no lock key of this cluster's left in Redis (the
        # limits' windows expire a minute after their last message).
        assert redis_keys(f"{prefix}:lock:*") == []
    finally:
        _drop_postgres_database(name)


@pytest.fixture
def both(cluster: Cluster) -> Cluster:
    """Both Rasa servers in the pool (the kill test starts its victim again)."""
    cluster.revive()
    cluster.wait_until_ready(300)
    deadline = time.monotonic() + 30
    while any(state != "UP" for state, _ in cluster.pool().values()):
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


def test_many_conversations_at_once_are_stored_complete_and_in_order(both: Cluster) -> None:
    served_before = {name: sessions for name, (_, sessions) in both.pool().items()}
    scripts = {f"cl-{uuid.uuid4().hex[:8]}-{n}": conversation_script(n, TURNS) for n in range(CONVERSATIONS)}
    load = Load(both.settings.rasa_url)
    load.run(scripts)
    assert load.failed == 0 and load.sent == scripts
    check_every_conversation(both, load)
    enrolled = [sender for sender, replies in load.received.items() if any("I er tilmeldt" in r for r in replies)]
    assert len(enrolled) == sum(1 for n in range(CONVERSATIONS) if n % 6 == 0)
    with make_sessionmaker(both.settings.database_url)() as session:
        counts = dict(
            session.execute(
                select(CourseEnrollment.conversation_id, func.count())
                .where(CourseEnrollment.conversation_id.in_(list(scripts)))
                .group_by(CourseEnrollment.conversation_id)
            ).all()
        )
    assert counts == dict.fromkeys(enrolled, 1)
    served = {name: sessions - served_before[name] for name, (_, sessions) in both.pool().items()}
    assert all(count > CONVERSATIONS * TURNS / 5 for count in served.values()), served  # both took their share
    print(f"\n{load.summary()}; per server: {served}")


def test_a_rasa_server_killed_mid_load(both: Cluster) -> None:
    scripts = {
        f"kill-{uuid.uuid4().hex[:8]}-{n}": conversation_script(n, KILLED_TURNS, enrol=False)
        for n in range(KILLED_CONVERSATIONS)
    }
    load = Load(both.settings.rasa_url, retry=True)
    victim = both.processes["rasa-0"]
    out_of_pool_after: list[float] = []

    def kill_when_busy() -> None:
        while load.answered < KILLED_CONVERSATIONS * 2:
            time.sleep(0.05)
        load.in_flight_at_kill = load.in_flight
        os.killpg(victim.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        while time.monotonic() < killed_at + 15:
            if both.pool()["rasa-0"][0].startswith("DOWN"):
                out_of_pool_after.append(time.monotonic() - killed_at)
                return
            time.sleep(0.1)

    survivor_log = LOG_DIR / "rasa-1.log"
    answered_before = survivor_log.read_text(errors="replace").count(ANSWERED_AGAIN)
    # Not started again here: the fixture `both` does it for a test that needs both.
    with ThreadPoolExecutor(1) as killer:
        killing = killer.submit(kill_when_busy)
        load.run(scripts)
        killing.result()
    out_after = out_of_pool_after[0] if out_of_pool_after else None
    assert out_after is not None and out_after < 5, both.pool()
    assert load.failed <= load.in_flight_at_kill, (load.failed, load.in_flight_at_kill)
    assert {s: len(sent) for s, sent in load.sent.items()} == {s: len(script) for s, script in scripts.items()}
    repeated = check_every_conversation(both, load)  # every failed turn sent again, and stored once
    assert repeated == 0
    # How many of the turns sent again the killed server had stored: answered from the tracker store.
    answered_again = survivor_log.read_text(errors="replace").count(ANSWERED_AGAIN) - answered_before
    print(
        f"\n{load.summary()}; in flight at the kill {load.in_flight_at_kill}; out of the pool {out_after:.1f} s; "
        f"answered from a stored turn {answered_again}; stored twice {repeated}"
    )


def test_a_message_sent_again_is_handled_once_on_either_server(both: Cluster) -> None:
    """The same message id again, to the same server, to the other, and to both
    at once: stored once, and every copy answered with the stored turn's replies."""
    server_a, server_b = (f"http://127.0.0.1:{both.rasa_port_of(i)}" for i in (0, 1))
    sender, ids = f"again-{uuid.uuid4().hex[:8]}", [uuid.uuid4().hex for _ in range(3)]
    first = post(server_a, sender, QUESTIONS[5], ids[0])
    assert first and post(server_a, sender, QUESTIONS[5], ids[0]) == first  # the same server
    second = post(server_a, sender, QUESTIONS[6], ids[1])
    assert second and post(server_b, sender, QUESTIONS[6], ids[1]) == second  # the other server
    assert post(server_b, sender, QUESTIONS[5], ids[0]) == first  # an older one: its own turn's replies
    with ThreadPoolExecutor(2) as pool:  # both servers at once: one handles it, the other waits and answers
        third = list(pool.map(lambda url: post(url, sender, QUESTIONS[7], ids[2]), (server_a, server_b)))
    assert third[0] and third[0] == third[1]
    turns = stored_turns(both.settings.tracker_store_url, [sender])[sender]
    assert [turn.text for turn in turns] == [QUESTIONS[5], QUESTIONS[6], QUESTIONS[7]]
    assert [turn.bot_text for turn in turns] == ["\n\n".join(replies) for replies in (first, second, third[0])]


def test_message_ids_that_are_not_ids_are_ignored_and_no_id_is_as_before(both: Cluster) -> None:
    url = both.settings.rasa_url
    sender, other = (f"ids-{uuid.uuid4().hex[:8]}" for _ in range(2))
    not_ids = [12345678, 1.5, True, {"id": "abcdefgh"}, ["abcdefgh"], "x" * 65, "short", "abc def ghi", "a%b_c'd;--"]
    for given in [*not_ids, None, None]:  # each handled as a message without an id (Rasa's own random one)
        assert post(url, sender, QUESTIONS[6], given)
    # Another conversation's id: a turn of its own here, not the other's answer.
    shared_id = uuid.uuid4().hex
    mentor = post(url, other, QUESTIONS[5], shared_id)
    phone = post(url, sender, QUESTIONS[6], shared_id)
    assert phone and phone != mentor
    stored = stored_turns(both.settings.tracker_store_url, [sender, other])
    assert [turn.text for turn in stored[sender]] == [QUESTIONS[6]] * (len(not_ids) + 3)
    assert [turn.text for turn in stored[other]] == [QUESTIONS[5]]


def test_a_widget_message_sent_again_through_the_other_server_is_acknowledged_not_handled(both: Cluster) -> None:
    """The widget keeps a message until its acknowledgement and sends it again,
    with its id, once its socket is back (on whichever server)."""
    sockets, sessions = [], []
    for _ in (0, 1):
        client, texts, confirmed = socketio.Client(reconnection=False), [], threading.Event()
        client.on("session_confirm", lambda data, c=confirmed: (sessions.append(data), c.set()))
        client.on("bot_uttered", lambda data, t=texts: t.append(str(data.get("text", ""))))
        sockets.append((client, texts, confirmed))
    try:
        acks = []
        for index, (client, _, confirmed) in enumerate(sockets):
            client.connect(f"http://127.0.0.1:{both.rasa_port_of(index)}", transports=["websocket"])
            proven = sessions[0] if sessions else {}
            client.emit(
                "session_request",
                {"session_id": proven.get("session_id"), "session_token": proven.get("session_token")},
            )
            assert confirmed.wait(10)
            message = {"message": QUESTIONS[6], "session_id": sessions[0]["session_id"], "message_id": "w-" + "5" * 30}
            acks.append(client.call("user_uttered", message, timeout=60))
        assert acks == [True, True]
        time.sleep(2)  # nothing more comes
        conversation = sessions[0]["session_id"]
        turns = stored_turns(both.settings.tracker_store_url, [conversation])[conversation]
        assert [turn.text for turn in turns] == [QUESTIONS[6]]  # handled once
        assert "\n\n".join(sockets[0][1]) == turns[0].bot_text  # its replies came once, the first time
        assert sockets[1][1] == []  # and not again for the copy
    finally:
        for client, _, _ in sockets:
            client.disconnect()


def test_a_flood_through_both_servers_gets_one_budget(both: Cluster) -> None:
    """Messages too long to read still count against the conversation's limit
    (and cost no turn): the servers count them together in Redis."""
    served_before = {name: sessions for name, (_, sessions) in both.pool().items()}
    sender, flood = f"flood-{uuid.uuid4().hex[:8]}", "hej " * 600  # longer than max_message_chars
    with ThreadPoolExecutor(6) as pool:
        answers = list(
            pool.map(lambda _: post(both.settings.rasa_url, sender, flood), range(2 * MESSAGES_PER_MINUTE + 30))
        )
    too_long = sum(any("for lang" in text for text in replies) for replies in answers)
    too_many = sum(any("mange beskeder på kort tid" in text for text in replies) for replies in answers)
    served = {name: sessions - served_before[name] for name, (_, sessions) in both.pool().items()}
    print(f"\nflood of {len(answers)}: {too_long} read, {too_many} refused; per server {served}")
    assert all(count > len(answers) / 5 for count in served.values()), served  # both servers counted
    assert (too_long, too_many) == (MESSAGES_PER_MINUTE, len(answers) - MESSAGES_PER_MINUTE)


def test_a_staff_answer_and_a_reminder_through_server_b_reach_a_socket_on_server_a(both: Cluster) -> None:
    settings = both.settings
    server_a, server_b = (f"http://127.0.0.1:{both.rasa_port_of(i)}" for i in (0, 1))
    chat = SocketChat(server_a, api_secret=settings.rasa_api_secret)
    try:
        cli_env = both.environment() | {"RASA_URL": server_b}

        def cli(*args: str) -> str:
            done = subprocess.run(
                [str(APP_PYTHON), "-m", "bot", *args], cwd=ROOT, env=cli_env, capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        reference = f"UNG-{uuid.uuid4().hex[:6].upper()}"
        ends = danish_today() + timedelta(days=400)
        cli("youth", "add", reference, "--name", "Sofie", "--mentor", "Lene", "--mentor-contact", "lene@example.dk",
            "--aftercare-ends", f"{ends:%Y-%m-%d}")  # fmt: skip
        code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", cli("youth", "pair", reference, "--by", "ab"))
        assert code
        chat.say("jeg vil logge ind med min kode")
        assert "Tak, Sofie!" in chat.say(code.group(0).lower())
        assert "Jeg har bedt Lene om et møde" in chat.say("kan jeg få et møde med min mentor næste uge")
        meeting = re.search(r"^#(\d+)", cli("youth", "meetings", reference), re.MULTILINE)
        assert meeting
        with make_sessionmaker(settings.database_url)() as session:
            requested = session.get(MentorMeeting, int(meeting.group(1)))
            assert requested is not None and requested.window_first is not None
            day = requested.window_first + timedelta(days=1)
        cli("youth", "confirm", meeting.group(1), f"{day:%Y-%m-%d} 14:00", "--by", "lene")

        # Staff's answer, as the staff app sends it, through server B.
        chat.replies.clear()
        chat.heard.clear()
        RasaClient(server_b, settings.rasa_api_secret).append(
            chat.session_id, [bot_message("Hej Sofie, Anne her.", "anne")]
        )
        assert chat.heard.wait(10) and chat.replies == ["Hej Sofie, Anne her."]

        # The confirmation and the reminder: trigger_intent through server B.
        chat.replies.clear()
        cli("reminders", "send", "--now", f"{day - timedelta(days=1):%Y-%m-%d} 09:00")
        deadline = time.monotonic() + 15
        while len(chat.replies) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any("er bekræftet" in reply for reply in chat.replies), chat.replies
        assert any(reply.startswith("Husk dit møde med Lene i morgen kl. 14.00") for reply in chat.replies), (
            chat.replies
        )
    finally:
        chat.close()


def test_a_long_polling_widget_through_haproxy_gets_its_replies_and_messages_sent_through_either_server(
    both: Cluster,
) -> None:
    """Long polling (the widget's fall-back) is a series of requests: HAProxy
    must send them all to the server holding the engine.io session."""
    settings = both.settings
    client = socketio.Client(reconnection=False)
    confirmed, session, texts = threading.Event(), {}, []
    client.on("session_confirm", lambda data: (session.update(data), confirmed.set()))
    client.on("bot_uttered", lambda data: texts.append(str(data.get("text", ""))))
    client.connect(settings.rasa_url, transports=["polling"])
    try:
        assert client.transport() == "polling"
        client.emit("session_request", {})
        assert confirmed.wait(10)
        client.emit("user_uttered", {"message": "hej", "session_id": session["session_id"], "metadata": {}})
        deadline = time.monotonic() + 20
        while not texts and time.monotonic() < deadline:
            time.sleep(0.1)
        assert texts, "no reply over long polling"
        for index in range(2):
            answer = bot_message(f"Besked via server {index}", "anne")
            RasaClient(f"http://127.0.0.1:{both.rasa_port_of(index)}", settings.rasa_api_secret).append(
                session["session_id"], [answer]
            )
        deadline = time.monotonic() + 10
        while len(texts) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert texts[-2:] == ["Besked via server 0", "Besked via server 1"], texts
    finally:
        client.disconnect()
