"""Rate limits that every Rasa server counts together (runs inside the Rasa
server, which has Redis's client).

The limits (messages a minute per conversation, new chat sessions a minute
per client address: the municipality file's `security`) were counted in
each process's memory (bot/shared/limits.py), so N servers behind the load
balancer let N times the limit through. With a Redis for the servers
(`Settings.limits_redis_url`, the lock store's), each key's window is a
sorted set there, changed by one Lua script (atomic in Redis, in Redis's
own clock): events older than the window are dropped, and a new one is
added only when fewer than the limit are left. Refused events are not
counted, as in the in-memory window. The keys are a hash of what is
limited (a client address is personal data), under `REDIS_PREFIX`, and
expire with their window.

Without a Redis (one process, `make run`) the in-memory window counts. When
Redis does not answer (within SOCKET_SECONDS), the in-memory window counts
instead, and the log says so once until Redis answers again: a limit is a
guard against floods, and a citizen, perhaps one in danger, must never be
turned away because Redis had a hiccup. For that moment a flood gets up to
N times the limit, as before.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

from bot.shared.limits import SlidingWindow

logger = logging.getLogger(__name__)

SOCKET_SECONDS = 0.5  # a turn waits at most this long for Redis before the in-memory window decides
# KEYS[1]: the key's window. ARGV: limit, window in ms, a unique member. 1: allowed (and counted), 0: refused.
ALLOW = """
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""


class SharedWindow:
    """At most `limit` events per `seconds` for each key, over every server sharing `redis_url`."""

    def __init__(self, name: str, limit: int, seconds: float, redis_url: str = "", prefix: str = "assistant") -> None:
        self.name, self.limit, self.window_ms = name, limit, int(seconds * 1000)
        self.local = SlidingWindow(limit, seconds)
        self.prefix = prefix
        self.redis: Any = None
        self.redis_failing = False
        if redis_url:
            from redis import asyncio as aioredis

            self.redis = aioredis.Redis.from_url(
                redis_url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
            )
            self.script = self.redis.register_script(ALLOW)

    def key(self, key: str) -> str:
        digest = hashlib.sha256(f"{self.name}:{key}".encode()).hexdigest()[:32]
        return f"{self.prefix}:limit:{self.name}:{digest}"

    async def allow(self, key: str) -> bool:
        """Count an event for `key`; False (and nothing counted) past the limit."""
        if self.redis is None:
            return self.local.allow(key)
        try:
            allowed = await self.script(keys=[self.key(key)], args=[self.limit, self.window_ms, secrets.token_hex(8)])
        except Exception as error:  # any failure of Redis: the in-memory window, never a refusal
            if not self.redis_failing:
                logger.warning(
                    "limit %s: Redis did not answer (%s); counting in this server's memory",
                    self.name,
                    type(error).__name__,
                )
                self.redis_failing = True
            return self.local.allow(key)
        if self.redis_failing:
            logger.warning("limit %s: Redis answers again; counting there", self.name)
            self.redis_failing = False
        return bool(allowed)
