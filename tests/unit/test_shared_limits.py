"""The rate limits several Rasa servers count together (bot/rasa_server/shared_limits.py),
on the machine's Redis: two limiters (two servers) in two processes share one
budget per key; a refused event is not counted; the window slides; without a
Redis, or with one that does not answer, each counts in its own memory.
Runs in the Rasa environment, which has Redis's client."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env

pytestmark = pytest.mark.rasa  # runs in .venv/rasa

REDIS_URL = "redis://127.0.0.1:6379/7"  # a database number of these tests' own
NO_REDIS = "redis://127.0.0.1:1/7"  # nothing listens there

# One "server": a limiter of its own, counting `events` for each key in turn; prints what it was allowed.
SERVER = """
import asyncio, json, sys, time
from bot.rasa_server.shared_limits import SharedWindow

url, prefix, limit, seconds, events, pause, keys = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), \
    int(sys.argv[5]), float(sys.argv[6]), sys.argv[7:]

async def main():
    window = SharedWindow("messages", limit, seconds, url, prefix)
    allowed = {key: 0 for key in keys}
    for _ in range(events):
        for key in keys:
            allowed[key] += await window.allow(key)
        await asyncio.sleep(pause)
    print(json.dumps(allowed))

asyncio.run(main())
"""


def redis(command: str) -> str:
    script = f"import redis; r = redis.Redis.from_url({REDIS_URL!r}); print({command})"
    done = subprocess.run([str(RASA_PYTHON), "-c", script], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.strip()


def servers(
    url: str, prefix: str, limit: int, seconds: float, events: int, pause: float, keys: list[str], count: int = 2
) -> list[dict[str, int]]:
    """`count` processes at once, each a limiter counting the same keys."""
    started = [
        subprocess.Popen(
            [str(RASA_PYTHON), "-c", SERVER, url, prefix, str(limit), str(seconds), str(events), str(pause), *keys],
            cwd=ROOT,
            env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    found = []
    for process in started:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        found.append(json.loads(out.strip().splitlines()[-1]))
    return found


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"test-limits-{uuid.uuid4().hex[:8]}"
    yield name
    redis(f"[r.delete(k) for k in r.keys({name + ':*'!r})]")
    assert redis(f"r.keys({name + ':*'!r})") == "[]"


def test_two_servers_share_one_budget_per_key(prefix: str) -> None:
    a, b = servers(REDIS_URL, prefix, 7, 60, 20, 0.002, ["conversation-1", "conversation-2"])
    # Each key had 40 events through two limiters: 7 allowed in all, not 7 each.
    assert a["conversation-1"] + b["conversation-1"] == 7
    assert a["conversation-2"] + b["conversation-2"] == 7
    # The keys are hashes under the prefix (a client address is personal data), and expire with the window.
    keys = json.loads(redis(f"[k.decode() for k in r.keys({prefix + ':*'!r})]").replace("'", '"'))
    assert len(keys) == 2 and all(key.startswith(f"{prefix}:limit:messages:") for key in keys)
    assert "conversation" not in "".join(keys)
    assert 0 < int(redis(f"r.pttl({keys[0]!r})")) <= 60_000


def test_the_shared_window_slides_and_refusals_do_not_count(prefix: str) -> None:
    # 2 a second, 30 events 0.1 s apart (3 s or a little more on a busy machine):
    # about 2 allowed each second, more than one window's 2, far from 30.
    (allowed,) = servers(REDIS_URL, prefix, 2, 1.0, 30, 0.1, ["conversation"], count=1)
    assert 4 <= allowed["conversation"] <= 12


def test_without_redis_each_server_counts_alone(prefix: str) -> None:
    # Redis does not answer: never a refusal because of it, each limiter counts in its memory.
    a, b = servers(NO_REDIS, prefix, 7, 60, 20, 0.0, ["conversation"])
    assert a == b == {"conversation": 7}
    a, b = servers("", prefix, 7, 60, 20, 0.0, ["conversation"])  # none configured (`make run`)
    assert a == b == {"conversation": 7}
