"""The conversations' Redis locks (bot/rasa_server/lock_store.py) under
concurrency, as several Rasa servers take them: separate processes, each
with many turns of the same conversations at once, every turn a
read-modify-write of a counter with a pause inside (as a turn reads the
tracker, thinks, and appends). Afterwards no turn was lost or ran beside
another, each process's turns ran in the order they came, and a process
killed while it held a lock held up the others only until its lease ran
out. Runs in the Rasa environment, against the machine's Redis."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env

pytestmark = pytest.mark.rasa  # runs in .venv/rasa

REDIS_URL = "redis://127.0.0.1:6379/6"
PROCESSES, TURNS, CONVERSATIONS = 3, 20, 2

SERVER = """
import asyncio, json, os, random, sys, time
import redis
from bot.rasa_server.lock_store import ConversationLockStore

url, prefix, name, turns, conversations = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
os.environ.update(LOCK_STORE_URL=url, REDIS_PREFIX=prefix)
data = redis.Redis.from_url(url)

async def turn(conversation, n):
    async with store.lock(conversation):
        inside = data.incr(f"{prefix}:test:inside:{conversation}")
        count = int(data.get(f"{prefix}:test:count:{conversation}") or 0)
        await asyncio.sleep(random.uniform(0.001, 0.01))
        data.set(f"{prefix}:test:count:{conversation}", count + 1)
        data.rpush(f"{prefix}:test:order:{conversation}:{name}", n)
        if inside != 1:
            data.incr(f"{prefix}:test:overlaps")
        data.decr(f"{prefix}:test:inside:{conversation}")

async def main():
    global store
    store = ConversationLockStore()
    tasks = []
    for n in range(turns):  # the turns come one after another, each while the earlier ones wait
        tasks += [asyncio.ensure_future(turn(c, n)) for c in conversations]
        await asyncio.sleep(0.003)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps([type(r).__name__ for r in results if r is not None]))

asyncio.run(main())
"""

KILLED_HOLDER = """
import asyncio, os, sys
from bot.rasa_server.lock_store import RedisConversationLocks

async def main():
    locks = RedisConversationLocks(sys.argv[1], sys.argv[2], lease_seconds=float(sys.argv[4]))
    async with locks.hold(sys.argv[3], max_wait=5):
        print("holding", flush=True)
        os._exit(0)  # dies holding the lock: no release, no renewal (as kill -9)

asyncio.run(main())
"""

WAITER = """
import asyncio, sys, time
from bot.rasa_server.lock_store import RedisConversationLocks

async def main():
    locks = RedisConversationLocks(sys.argv[1], sys.argv[2], lease_seconds=float(sys.argv[4]))
    started = time.monotonic()
    async with locks.hold(sys.argv[3], max_wait=30):
        print(round(time.monotonic() - started, 2))

asyncio.run(main())
"""


def rasa_python(script: str, *args: str) -> str:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", script, *args],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def redis_values(prefix: str) -> dict[str, object]:
    script = (
        "import json, sys, redis\n"
        "r = redis.Redis.from_url(sys.argv[1], decode_responses=True)\n"
        "keys = r.keys(sys.argv[2] + ':*')\n"
        "print(json.dumps({k: r.lrange(k, 0, -1) if r.type(k) == 'list' else r.get(k) for k in keys}))\n"
        "r.delete(*keys) if keys else None\n"
    )
    values: dict[str, object] = json.loads(rasa_python(script, REDIS_URL, prefix))
    return values


def test_many_turns_of_one_conversation_from_several_servers_run_one_at_a_time_in_order() -> None:
    prefix = f"locktest-{uuid.uuid4().hex[:8]}"
    conversations = [f"c{n}" for n in range(CONVERSATIONS)]
    servers = [
        subprocess.Popen(
            [str(RASA_PYTHON), "-c", SERVER, REDIS_URL, prefix, f"s{n}", str(TURNS), *conversations],
            cwd=ROOT,
            env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    outputs = [server.communicate(timeout=120) for server in servers]
    assert all(server.returncode == 0 for server in servers), [err[-2000:] for _, err in outputs]
    assert [json.loads(out.splitlines()[-1]) for out, _ in outputs] == [[]] * PROCESSES  # no turn failed
    values = redis_values(prefix)
    assert values.get(f"{prefix}:test:overlaps") is None  # never two turns of a conversation at once
    for conversation in conversations:
        assert values[f"{prefix}:test:count:{conversation}"] == str(PROCESSES * TURNS)  # none lost
        for n in range(PROCESSES):  # each server's turns in the order they came
            assert values[f"{prefix}:test:order:{conversation}:s{n}"] == [str(t) for t in range(TURNS)]
    # The locks themselves are gone once every turn is over.
    assert not [key for key in values if ":lock:" in key]


def test_a_server_killed_while_it_holds_a_lock_holds_up_the_others_only_for_its_lease() -> None:
    prefix, lease = f"locktest-{uuid.uuid4().hex[:8]}", "2"
    assert "holding" in rasa_python(KILLED_HOLDER, REDIS_URL, prefix, "c1", lease)
    waited = float(rasa_python(WAITER, REDIS_URL, prefix, "c1", lease).split()[-1])
    assert waited <= 2.5  # the dead server's lease ran out; the next turn went on
    assert redis_values(prefix) == {}
