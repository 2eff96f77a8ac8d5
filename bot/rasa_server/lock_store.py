"""The conversations' lock store (endpoints.yml: `lock_store: type:
bot.rasa_server.lock_store.ConversationLockStore`): one conversation is
handled by one Rasa server at a time, its turns in the order they came.

Without LOCK_STORE_URL it is Rasa's in-memory lock store (one process,
`make run`). With it (several Rasa servers, `bot run --replicas N`), the
locks are in Redis, but not Rasa 3.6's RedisLockStore: that one reads the
conversation's lock (a JSON list of tickets), changes it in Python and
writes it back, in separate commands. Two servers taking a ticket for one
conversation at the same moment both read the same list and both write
ticket 0, so both handle a turn of the conversation at once: each reads the
tracker with N events and appends its own, and one turn's events are
written over the other's or twice. A server releasing its ticket while
another takes one deletes the other's ticket, which then waits for a lock
that is gone and fails the turn (LockError). And a ticket of a killed
server keeps the conversation locked for its whole lifetime (60 s).

Here every step is one Lua script, so atomic in Redis:
- a ticket is INCR on the conversation's counter, queued in a sorted set
  by its number (first come, first served) with a lease (a hash of expiry
  times in Redis's own clock, so the servers' clocks do not matter);
- a server holds the lock when its ticket is the lowest live one; expired
  tickets (a server that died) are dropped first;
- while a server waits or holds, it renews its lease every LEASE/4, so a
  long turn (an action may take ACTION_TIMEOUT_SECONDS) keeps its lock, and
  a server killed with kill -9 loses it within LEASE seconds;
- releasing removes the ticket, and the keys when no one else is queued.

When Redis does not answer (stopped, restarting, unreachable), a turn waits
for it: each command is asked again every RETRY_SECONDS, for up to
REDIS_WAIT_SECONDS from the first that failed, so a Redis restart is a delay
of a second or two. Longer, the turn is not taken (LockStoreUnavailable,
a LockError): the launcher tells the citizen the message did not get through
(bot/rasa_server/launcher.py), nothing of it is stored, and writing it again
later is a new turn. A turn is never handled without the lock: on the other
server a turn of the same conversation (a staff answer, a reminder, a
message sent again) could run beside it, each appending to the tracker it
read. A ticket that is gone when its turn asks (Redis started again empty,
or its lease ran out while Redis was away) is taken again after one lease,
the time the turn holding the lock on another server (its ticket gone
too) had anyway; a release that Redis does not answer is left to the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError

from bot.shared.settings import load_settings

logger = logging.getLogger(__name__)

LEASE_SECONDS = 10.0
POLL_SECONDS = 0.02  # how often a waiting turn asks whether it is its turn
REDIS_WAIT_SECONDS = 6.0  # how long a turn waits for Redis to answer again before it is not taken
RETRY_SECONDS = 0.25  # how often it asks meanwhile
COMMAND_SECONDS = 2.0  # one command's wait for a connection or an answer (the scripts take microseconds)


class LockStoreUnavailable(LockError):
    """Redis did not answer for REDIS_WAIT_SECONDS: the turn is not taken."""


# Redis's own clock in milliseconds, the same for every server.
_NOW = "local clock = redis.call('TIME') local now = clock[1] * 1000 + math.floor(clock[2] / 1000)"
# KEYS: counter, queue (sorted set of ticket numbers), leases (hash ticket -> expiry ms)
_KEEP = "for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[2]) end"
ISSUE = f"""
{_NOW}
local ticket = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now + ARGV[1])
{_KEEP}
return ticket
"""
# ARGV[1]: the ticket. 1: it holds the lock; 0: others before it; -1: its lease ran out.
TRY = f"""
{_NOW}
local leases = redis.call('HGETALL', KEYS[3])
for i = 1, #leases, 2 do
  if tonumber(leases[i + 1]) < now then
    redis.call('HDEL', KEYS[3], leases[i])
    redis.call('ZREM', KEYS[2], leases[i])
  end
end
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -1 end
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if first[1] == ARGV[1] then return 1 end
return 0
"""
# ARGV: ticket, lease ms, key lifetime ms. Not yet dropped means no one else
# took the lock past it (TRY drops expired tickets before deciding), so a
# lease renewed late is still safe.
RENEW = f"""
{_NOW}
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], now + ARGV[2])
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[3]) end
return 1
"""
RELEASE = """
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return 1
"""


class _LocalQueue:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class RedisConversationLocks:
    """First-come-first-served conversation locks in Redis with leases."""

    def __init__(self, url: str, prefix: str, lease_seconds: float = LEASE_SECONDS) -> None:
        from redis import asyncio as aioredis

        self.redis: Any = aioredis.Redis.from_url(
            url, socket_timeout=COMMAND_SECONDS, socket_connect_timeout=COMMAND_SECONDS
        )
        self.prefix = prefix
        self.lease_ms = int(lease_seconds * 1000)
        self.issue_script = self.redis.register_script(ISSUE)
        self.try_script = self.redis.register_script(TRY)
        self.renew_script = self.redis.register_script(RENEW)
        self.release_script = self.redis.register_script(RELEASE)
        self.waiting: dict[str, _LocalQueue] = {}
        self.redis_failing = False

    async def _run(self, script: Any, keys: list[str], args: list[Any]) -> int:
        """The script's answer; while Redis does not answer, asked again for up to REDIS_WAIT_SECONDS."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        give_up_at: float | None = None
        while True:
            try:
                answer = int(await script(keys=keys, args=args))
            except (RedisConnectionError, RedisTimeoutError) as error:
                if not self.redis_failing:
                    logger.warning(
                        "conversation locks: Redis did not answer (%s); turns wait for it up to %.0f s",
                        type(error).__name__,
                        REDIS_WAIT_SECONDS,
                    )
                    self.redis_failing = True
                give_up_at = give_up_at or time.monotonic() + REDIS_WAIT_SECONDS
                if time.monotonic() + RETRY_SECONDS > give_up_at:
                    raise LockStoreUnavailable(f"Redis did not answer for {REDIS_WAIT_SECONDS:.0f} s") from error
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if self.redis_failing:
                logger.warning("conversation locks: Redis answers again")
                self.redis_failing = False
            return answer

    def keys(self, conversation_id: str) -> list[str]:
        base = f"{self.prefix}:lock:{conversation_id}"
        return [f"{base}:next", f"{base}:queue", f"{base}:leases"]

    async def _renew_while_alive(self, keys: list[str], ticket: list[int], over: asyncio.Event) -> None:
        renewed, lost = time.monotonic(), 0
        while True:
            await asyncio.sleep(self.lease_ms / 4000)
            if over.is_set():
                return
            try:
                renewal = await self.renew_script(keys=keys, args=[ticket[0], self.lease_ms, 2 * self.lease_ms])
            except Exception as error:  # Redis away for a moment: the next renewal tries again
                logger.warning("could not renew a conversation's lock lease: %s", type(error).__name__)
                continue
            if renewal:
                renewed = time.monotonic()
            # A renewal sent just as the turn ended may reach Redis after the
            # release (measured: often, with turns as long as the renewal
            # period): the ticket is gone because it was released, not lost.
            # A waiting turn whose ticket is gone takes a new one, renewed here next.
            elif not over.is_set() and lost != ticket[0]:
                lost = ticket[0]
                logger.error(
                    "a conversation's lock lease ran out: %.1f s since it was last renewed (lease %.0f s)",
                    time.monotonic() - renewed,
                    self.lease_ms / 1000,
                )

    @contextlib.asynccontextmanager
    async def hold(self, conversation_id: str, max_wait: float) -> AsyncGenerator[None, None]:
        # This server's turns of the conversation queue here first, in the order
        # they came (asyncio's lock is first come, first served); concurrent
        # INCRs over the pool's connections could reach Redis in another order.
        local = self.waiting.setdefault(conversation_id, _LocalQueue())
        local.users += 1
        try:
            async with local.lock, self._hold_in_redis(conversation_id, max_wait):
                yield
        finally:
            local.users -= 1
            if local.users == 0:
                self.waiting.pop(conversation_id, None)

    @contextlib.asynccontextmanager
    async def _hold_in_redis(self, conversation_id: str, max_wait: float) -> AsyncGenerator[None, None]:
        keys = self.keys(conversation_id)
        issue = [self.lease_ms, 2 * self.lease_ms]
        ticket = [await self._run(self.issue_script, keys, issue)]  # a list: the renewal reads a new one too
        over = asyncio.Event()
        renewing = asyncio.ensure_future(self._renew_while_alive(keys, ticket, over))
        try:
            deadline = time.monotonic() + max_wait
            while True:
                state = await self._run(self.try_script, keys, [ticket[0]])
                if state == 1:
                    break
                if time.monotonic() > deadline:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                if state == -1:
                    # Its ticket is gone: Redis started again empty (or the lease ran out
                    # while Redis was away), and with it the ticket of a turn that may hold
                    # the lock on another server. A new ticket after a lease: that turn
                    # has had the time its lease gave it.
                    logger.warning(
                        "a conversation's lock ticket was gone while it waited; a new one in %.0f s",
                        self.lease_ms / 1000,
                    )
                    await asyncio.sleep(self.lease_ms / 1000)
                    ticket[0] = await self._run(self.issue_script, keys, issue)
                    continue
                await asyncio.sleep(POLL_SECONDS)
            yield
        finally:
            over.set()
            renewing.cancel()
            await asyncio.shield(self._release(keys, ticket[0]))

    async def _release(self, keys: list[str], ticket: int) -> None:
        try:
            await self.release_script(keys=keys, args=[ticket])
        except Exception as error:  # the turn is over and stored; its lease frees the lock
            logger.warning("could not release a conversation's lock (%s): its lease frees it", type(error).__name__)


class ConversationLockStore(InMemoryLockStore):
    """Rasa's in-memory lock store, or the Redis locks above when LOCK_STORE_URL is set."""

    def __init__(self, endpoint_config: Any = None) -> None:
        super().__init__()
        settings = load_settings()
        self.shared = (
            RedisConversationLocks(settings.lock_store_url, settings.redis_prefix) if settings.lock_store_url else None
        )

    @contextlib.asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        if self.shared is None:
            async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as held:
                yield held
            return
        async with self.shared.hold(conversation_id, max_wait=lock_lifetime):
            yield TicketLock(conversation_id)
