"""The widget's socket.io rooms shared by several Rasa servers through Redis
(runs inside the Rasa server; `SOCKETIO_REDIS_URL`, bot/cluster.py).

python-socketio's AsyncRedisManager publishes every emit on a Redis channel
and sends it to a socket only when the message comes back from Redis, its
own server's sockets too. So while Redis does not answer, no widget gets
anything, not even the replies to its own message; a publish that fails
replaces the manager's subscription with a new one that is not subscribed;
and the subscription, once lost, is tried again after 1, 2, 4, ... up to 60
seconds, during which the server's own sockets get nothing although Redis
is back.

RoomsThroughRedis sends an emit to the sockets its server holds in the room
at once, without Redis, and publishes it for the other servers, which send
it to theirs; a message that comes back to the server that published it is
skipped. While Redis does not answer, the sockets on the server that emits
get everything (a turn's replies reach the widget that sent the message),
and only what one server sends to a socket on another (a staff answer or
a reminder sent through the other server) does not arrive: the widget gets
it with the history it asks for at its next connection. A publish waits at
most PUBLISH_SECONDS for Redis, and is sent once more on a new connection
when Redis closed the one it took (the first publish after a Redis restart
found its pooled connection closed and was lost: the cluster test of Redis
away); the subscription is tried again every
RESUBSCRIBE_SECONDS, so cross-server messages come again within about a
second of Redis's return.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
from collections.abc import AsyncIterator
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer
from socketio.asyncio_manager import AsyncManager

logger = logging.getLogger(__name__)

PUBLISH_SECONDS = 0.5
RESUBSCRIBE_SECONDS = 1.0


class RoomsThroughRedis(AsyncRedisManager):
    def __init__(self, url: str, channel: str) -> None:
        self.publish_failing = False
        super().__init__(url, channel=channel)

    def _redis_connect(self) -> None:
        # Two clients: a publish waits at most PUBLISH_SECONDS, while the
        # subscription waits for messages as long as none come.
        self.redis = aioredis.Redis.from_url(
            self.redis_url, socket_timeout=PUBLISH_SECONDS, socket_connect_timeout=PUBLISH_SECONDS
        )
        self.pubsub = self._subscription()

    def _subscription(self) -> Any:
        client = aioredis.Redis.from_url(self.redis_url, socket_connect_timeout=PUBLISH_SECONDS)
        return client.pubsub(ignore_subscribe_messages=True)

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str | None = None,
        room: str | None = None,
        skip_sid: Any = None,
        callback: Any = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("ignore_queue") or callback is not None:  # python-socketio's own way
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
            return
        namespace = namespace or "/"
        await AsyncManager.emit(self, event, data, namespace, room=room, skip_sid=skip_sid)
        message = {"method": "emit", "event": event, "data": data, "namespace": namespace, "room": room}
        await self._publish(message | {"skip_sid": skip_sid, "callback": None, "host_id": self.host_id})

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        if message.get("host_id") == self.host_id and message.get("callback") is None:
            return  # this server's sockets had it when it was sent
        await super()._handle_emit(message)

    async def _publish(self, data: Any) -> None:
        message = pickle.dumps(data)
        try:
            try:
                await self.redis.publish(self.channel, message)
            except RedisConnectionError:
                # A pooled connection Redis closed (it was restarted): once more, on a new one.
                await self.redis.publish(self.channel, message)
        except RedisError as error:
            if not self.publish_failing:
                logger.warning("widget: Redis did not answer (%s); other servers' sockets miss messages", error)
                self.publish_failing = True
            return
        if self.publish_failing:
            logger.warning("widget: Redis answers again; messages reach every server's sockets")
            self.publish_failing = False

    async def _listen(self) -> AsyncIterator[Any]:
        channel = self.channel.encode("utf-8")
        subscribe = True
        while True:
            try:
                if subscribe:
                    await self.pubsub.subscribe(self.channel)
                    subscribe = False
                async for message in self.pubsub.listen():
                    if message["channel"] == channel and message["type"] == "message" and "data" in message:
                        yield message["data"]
                subscribe = True  # listen() ends when nothing is subscribed
                await asyncio.sleep(RESUBSCRIBE_SECONDS)
            except RedisError as error:
                logger.warning("widget: the socket.io channel in Redis is gone (%s); subscribing again", error)
                old, self.pubsub, subscribe = self.pubsub, self._subscription(), True
                with contextlib.suppress(Exception):
                    await old.reset()
                await asyncio.sleep(RESUBSCRIBE_SECONDS)


def share_rooms(sio: AsyncServer, webhook: Blueprint, url: str, channel: str) -> None:
    """Several Rasa servers: the manager above in place of the in-process
    one, before any socket connects. Every emit (a reply, a staff answer or
    reminder sent through the "latest" output channel, which is the widget
    channel's `sio`) reaches the sockets in that room (the conversation's
    session id) on this server at once and on the others through Redis, so a
    message reaches the widget whichever server has its socket. Rooms, a
    socket's proven session and the new-session limit stay in the server that
    holds the socket: the load balancer keeps a socket on one server (a
    websocket is one connection; long polling is balanced on the client's
    address, bot/cluster.py)."""
    manager = RoomsThroughRedis(url, channel=channel)
    manager.set_server(sio)
    sio.manager = manager

    async def subscribe(*_: Any) -> None:
        # python-socketio subscribes at the first connection, so a message
        # another server publishes for the first socket could come before this
        # server listens; subscribe before any socket can connect.
        sio.manager_initialized = True
        manager.initialize()
        for _attempt in range(100):
            if manager.pubsub.subscribed:
                return
            await asyncio.sleep(0.05)
        logger.error("widget: not subscribed to the socket.io channel in Redis after 5 s")

    webhook.listener("before_server_start")(subscribe)
