"""A message sent again is answered, never handled twice (runs inside the
Rasa server).

A client that got no answer sends its message again: the widget after its
socket reconnected (the server holding it died, or the network dropped),
a REST client after a failed request. The first copy may already have been
handled and stored; handling the second too writes the turn twice (and runs
its actions twice: an enrolment, a meeting request). Rasa 3.6's channels
carry no id from the client, so the channels here take one (the widget's
`message_id`, the REST body's `message_id`) and put it in Rasa's
`UserMessage.message_id`, which Rasa stores in the conversation's
`UserUttered` event. (Texts are not searched here: the SMS app already
knows a gateway's retry by the gateway's id, bot/rasa_server/channels/sms.py.)

Before a turn is handled (MessageProcessor.handle_message, which Rasa calls
inside the conversation's lock: on several servers, the Redis lock of
bot/rasa_server/lock_store.py), the conversation is searched for a user
message with that id. Found, the message is not handled again:
- a REST client, which waits for the answer of its request, gets the bot
  messages that followed the stored copy, as they were sent then;
- the widget gets nothing new: the bot messages of the first copy reached
  its room then, or come with the history it asks for on every reconnect
  (bot/rasa_server/channels/widget.py); sending them again would show them
  twice.

An id is taken only when it is a short string of letters, digits and
hyphens, 8 to 64 of them (a uuid, the widget's ids); anything else
(a number, an object, a long or odd string) is ignored: the message gets
Rasa's own random id, as a message without one, and is handled as always.
The search is per conversation, so an id a client makes up can only ever
match a message of its own conversation.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# Where a channel passes the client's id to `taking_client_message_ids` (in the
# message's metadata, removed there again before anything else reads it).
CLIENT_MESSAGE_ID = "client_message_id"
# Letters, digits and hyphens only: the tracker store searches for it in the
# events' JSON text, where these need no escaping (bot/rasa_server/tracker_store.py).
_VALID_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
_CLIENT_IDS: set[int] = set()  # ids of the UserMessage objects that carry a client's id


def client_message_id(value: Any) -> str | None:
    """The client's message id when it is one, else None (the message is handled as one without)."""
    if isinstance(value, str) and _VALID_ID.fullmatch(value):
        return value
    if value is not None:
        logger.info("a client message id that is not one was ignored (%s)", type(value).__name__)
    return None


def with_client_id(metadata: Any, given: Any) -> Any:
    """The metadata a channel passes on: the valid client id under CLIENT_MESSAGE_ID, and
    never one the client put there itself."""
    message_id = client_message_id(given)
    if not isinstance(metadata, dict):
        return {CLIENT_MESSAGE_ID: message_id} if message_id else metadata
    cleaned = {key: value for key, value in metadata.items() if key != CLIENT_MESSAGE_ID}
    return {**cleaned, CLIENT_MESSAGE_ID: message_id} if message_id else cleaned


def taking_client_message_ids(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
) -> Callable[[UserMessage], Awaitable[Any]]:
    """A channel's `on_new_message` that moves the client's id from the metadata to `message_id`."""

    async def handle(message: UserMessage) -> Any:
        metadata = message.metadata
        given = metadata.pop(CLIENT_MESSAGE_ID, None) if isinstance(metadata, dict) else None
        if not isinstance(given, str):
            return await on_new_message(message)
        message.message_id = given
        _CLIENT_IDS.add(id(message))
        try:
            return await on_new_message(message)
        finally:
            _CLIENT_IDS.discard(id(message))

    return handle


def carries_client_id(message: UserMessage) -> bool:
    return id(message) in _CLIENT_IDS


def replies_in(events: list[Any], message_id: str) -> list[dict[str, Any]] | None:
    """The bot messages that followed the user message with this id (up to the
    next user message), or None when no user message has it."""
    replies: list[dict[str, Any]] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            replies.append(event.message())
    return replies


async def stored_replies(processor: MessageProcessor, message: UserMessage) -> list[dict[str, Any]] | None:
    store = getattr(processor.tracker_store, "tracker_store", processor.tracker_store)  # inside Rasa's fail-safe
    search = getattr(store, "replies_to", None)
    if search is not None:  # the SQL tracker store searches without reading the whole conversation
        found: list[dict[str, Any]] | None = await search(message.sender_id, message.message_id)
        return found
    tracker: DialogueStateTracker | None = await processor.tracker_store.retrieve(message.sender_id)
    return replies_in(list(tracker.events), message.message_id) if tracker is not None else None


def answering_resent_messages(handle_message: Any) -> Any:
    """MessageProcessor.handle_message, which answers a message sent again from its stored turn."""

    async def handle(self: MessageProcessor, message: UserMessage) -> Any:
        if not carries_client_id(message):
            return await handle_message(self, message)
        replies = await stored_replies(self, message)
        if replies is None:
            return await handle_message(self, message)
        logger.info("a message sent again was answered from its stored turn, not handled again")
        output = message.output_channel
        if isinstance(output, CollectingOutputChannel):
            for reply in replies:
                await output.send_response(message.sender_id, reply)
            return output.messages
        return None

    return handle
