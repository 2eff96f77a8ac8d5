"""Redis away, under the two replicas of tests/e2e/test_cluster_http.py (the
same cluster, on a Redis of the tests' own, tests/private_redis.py: killed
with kill -9 and started again empty, as a Redis without persistence after
a crash). Redis holds the conversations' locks, the socket.io rooms'
channel and the shared rate limits.

What a citizen gets:
- Redis back within REDIS_WAIT_SECONDS (6 s, bot/rasa_server/lock_store.py):
  a delay. The turn waits for its conversation's lock, then is handled as
  always and stored once.
- Longer: after that wait, the Danish answer that the message did not get
  through (utter_message_not_received, with 112 and the phone number), and
  nothing of the turn is stored; written again, it is a new turn, stored once.
- Either way the widget gets its replies and its acknowledgement: a server
  sends to its own sockets without Redis (bot/rasa_server/channels/rooms.py).
- Redis back: the turns go on, and a staff answer sent through the other
  server reaches the widget again (the servers subscribe again each second).
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot.cluster import Cluster
from bot.rasa_client import RasaClient, bot_message
from tests.cluster_load import QUESTIONS, stored_turns
from tests.e2e.cluster_helpers import RunningCluster, WidgetSocket

pytestmark = pytest.mark.e2e

REDIS_WAIT_SECONDS = 6.0  # bot/rasa_server/lock_store.py (the Rasa environment's module)
SHORT_OUTAGE = 2.0
NOT_RECEIVED = "din besked kom ikke igennem"  # utter_message_not_received


def timed_post(url: str, sender: str, message: str, message_id: str) -> tuple[list[str], float]:
    """One REST message; its replies and when they came (time.monotonic())."""
    body = {"sender": sender, "message": message, "message_id": message_id}
    response = httpx.post(f"{url}/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    return [str(reply["text"]) for reply in response.json() if reply.get("text")], time.monotonic()


def servers(cluster: Cluster) -> list[str]:
    return [f"http://127.0.0.1:{cluster.rasa_port_of(index)}" for index in (0, 1)]


def test_redis_away_for_a_moment_is_a_delay_and_every_turn_is_handled_once(
    both: Cluster, two_replicas: RunningCluster
) -> None:
    redis, urls = two_replicas.redis, servers(both)
    senders = [f"redis-short-{uuid.uuid4().hex[:8]}-{index}" for index in (0, 1)]
    widget = WidgetSocket(urls[0])
    try:
        redis.kill()
        killed = time.monotonic()
        with ThreadPoolExecutor(3) as pool:
            rest = [
                pool.submit(timed_post, url, sender, QUESTIONS[5], uuid.uuid4().hex)
                for url, sender in zip(urls, senders, strict=True)
            ]
            widget_turn = pool.submit(widget.send, QUESTIONS[6])
            time.sleep(SHORT_OUTAGE)
            redis.start()
            answers = [future.result() for future in rest]
            ack, widget_replies = widget_turn.result()
        stored = stored_turns(both.settings.tracker_store_url, [*senders, widget.session_id])
        for sender, (replies, answered_at) in zip(senders, answers, strict=True):
            assert replies and not any(NOT_RECEIVED in reply for reply in replies), replies
            assert answered_at - killed >= SHORT_OUTAGE - 0.5  # it waited for Redis
            assert [(turn.text, turn.ended) for turn in stored[sender]] == [(QUESTIONS[5], True)]  # once
            assert stored[sender][0].bot_text == "\n\n".join(replies)
        assert ack is True and widget_replies, widget_replies
        assert not any(NOT_RECEIVED in reply for reply in widget_replies)
        assert [turn.text for turn in stored[widget.session_id]] == [QUESTIONS[6]]
        assert stored[widget.session_id][0].bot_text == "\n\n".join(widget_replies)
    finally:
        widget.close()
        if redis.process is None or redis.process.poll() is not None:
            redis.start()


def test_redis_away_longer_is_a_danish_answer_nothing_is_stored_and_it_recovers(
    both: Cluster, two_replicas: RunningCluster
) -> None:
    redis, urls = two_replicas.redis, servers(both)
    senders = [f"redis-long-{uuid.uuid4().hex[:8]}-{index}" for index in (0, 1)]
    message_ids = [uuid.uuid4().hex for _ in senders]
    widget = WidgetSocket(urls[0])
    try:
        redis.kill()
        killed = time.monotonic()
        with ThreadPoolExecutor(3) as pool:
            rest = [
                pool.submit(timed_post, url, sender, QUESTIONS[5], message_id)
                for url, sender, message_id in zip(urls, senders, message_ids, strict=True)
            ]
            widget_turn = pool.submit(widget.send, QUESTIONS[6])
            answers = [future.result() for future in rest]
            ack, widget_replies = widget_turn.result()
        for replies, answered_at in answers:
            assert len(replies) == 1 and NOT_RECEIVED in replies[0] and "112" in replies[0], replies
            assert answered_at - killed >= REDIS_WAIT_SECONDS - 0.5  # it waited for Redis first
        assert ack is True and len(widget_replies) == 1 and NOT_RECEIVED in widget_replies[0], widget_replies
        stored = stored_turns(both.settings.tracker_store_url, [*senders, widget.session_id])
        assert all(turns == [] for turns in stored.values()), stored  # nothing of those turns kept

        redis.start()
        # Written again (the REST client with the same id, the person in the widget
        # anew): handled now, and stored once.
        again = [
            timed_post(url, sender, QUESTIONS[5], message_id)[0]
            for url, sender, message_id in zip(urls, senders, message_ids, strict=True)
        ]
        ack, widget_replies = widget.send(QUESTIONS[6])
        assert ack is True and widget_replies and not any(NOT_RECEIVED in reply for reply in widget_replies)
        stored = stored_turns(both.settings.tracker_store_url, [*senders, widget.session_id])
        for sender, replies in zip(senders, again, strict=True):
            assert replies and not any(NOT_RECEIVED in reply for reply in replies), replies
            assert [turn.text for turn in stored[sender]] == [QUESTIONS[5]]
        assert [turn.text for turn in stored[widget.session_id]] == [QUESTIONS[6]]

        # A staff answer through the other server reaches the widget again (its
        # server subscribed to the socket.io channel again).
        widget.replies.clear()
        RasaClient(urls[1], both.settings.rasa_api_secret).append(
            widget.session_id, [bot_message("Hej, Anne her igen.", "anne")]
        )
        deadline = time.monotonic() + 15
        while not widget.replies and time.monotonic() < deadline:
            time.sleep(0.1)
        assert widget.replies == ["Hej, Anne her igen."]
    finally:
        widget.close()
        if redis.process is None or redis.process.poll() is not None:
            redis.start()
