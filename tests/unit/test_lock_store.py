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
from pathlib import Path

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env
from tests.helpers import rasa_output
from tests.private_redis import kill_left_over

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
    return rasa_output(script, *args)[0]


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


OUTAGES = """
import asyncio, json, sys, time
from pathlib import Path
from bot.rasa_server import lock_store
from bot.rasa_server.lock_store import LockStoreUnavailable, RedisConversationLocks
from tests.private_redis import PrivateRedis

lock_store.REDIS_WAIT_SECONDS = 3.0
redis = PrivateRedis(Path(sys.argv[1]))
seen = []

async def turn(locks, conversation, name, inside=0.0):
    started = time.monotonic()
    try:
        async with locks.hold(conversation, max_wait=30):
            seen.append(f"{name} in")
            await asyncio.sleep(inside)
            seen.append(f"{name} out")
    except LockStoreUnavailable:
        seen.append(f"{name} refused")
    return round(time.monotonic() - started, 2)

async def restart(down, wait=0.0):
    await asyncio.sleep(wait)
    redis.kill()
    await asyncio.sleep(down)
    await asyncio.get_running_loop().run_in_executor(None, redis.start)

async def main():
    waited = {}
    with redis:
        server_a, server_b = (RedisConversationLocks(redis.url, "outage", lease_seconds=2) for _ in "ab")
        waited["before"] = await turn(server_a, "c1", "before")
        # Redis killed and back (empty) 1.5 s later: the turn waits for it, then holds the lock.
        waited["restart"] = (await asyncio.gather(turn(server_a, "c1", "restart"), restart(1.5)))[0]
        # Away longer than the wait: refused after it.
        redis.kill()
        waited["away"] = await turn(server_a, "c1", "away")
        redis.start()
        # Killed and back while a turn holds the lock, a second turn of the conversation
        # waits on the same server and a third on the other: the holder's turn ends
        # (its release is left to the lease), the second waits for it, and the third,
        # whose ticket is gone, takes a new one after a lease (2 s here) and holds the lock.
        # The others start once the holder is in: which of two turns started together
        # gets a lock first is a race (a loaded machine let the third win it).
        async def once_holder_in(step):
            while "holder in" not in seen:
                await asyncio.sleep(0.01)
            return await step

        await asyncio.gather(
            turn(server_a, "c2", "holder", 1.5),
            once_holder_in(turn(server_a, "c2", "second")), once_holder_in(turn(server_b, "c2", "third")),
            once_holder_in(restart(0.3, 0.5)),
        )
        waited["after"] = await turn(server_b, "c1", "after")
    print(json.dumps({"waited": waited, "seen": seen}))

asyncio.run(main())
"""


def test_turns_wait_for_redis_for_a_few_seconds_and_are_refused_when_it_stays_away(tmp_path: Path) -> None:
    """Redis killed (it comes back empty, as one without persistence) before
    and while turns take their conversations' locks."""
    try:
        result = json.loads(rasa_python(OUTAGES, str(tmp_path)).splitlines()[-1])
    finally:
        kill_left_over(tmp_path)
    waited, seen = result["waited"], result["seen"]
    assert 1.4 <= waited["restart"] < 3.0  # a delay while Redis was away, then the lock
    assert "away refused" in seen and 2.7 <= waited["away"] < 5  # refused after the 3 s wait
    assert seen.index("holder out") < seen.index("second in")  # one server's turns: one at a time
    assert seen.index("holder out") < seen.index("third in")  # the other server's turn: held after it, not failed
    assert waited["after"] < 1
    assert seen == [*seen[:2], "restart in", "restart out", "away refused", *seen[5:]]
