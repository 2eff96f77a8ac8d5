"""Run the Rasa CLI (in the Rasa environment) with two additions for serving.

1. Privacy: every channel hands a user message to `Agent.handle_message`.
   There, before NLU, the tracker store, the action server or a log sees it,
   CPR numbers are masked (bot/shared/cpr.py) in the text, in a typed payload's
   entity values (after JSON decoding) and in the metadata, and the user is told once per
   conversation not to write them here (`utter_cpr_removed` in domain/privacy.yml).
   And when action_delete_my_data has deleted a conversation's data (it sets
   the slot `conversation_deleted`), the conversation's events are deleted
   from the SQL tracker store right after Rasa saved the turn: deleting them
   earlier, from the action server, Rasa would write them all back.
2. Identity: a young person's website token (metadata `token`) is checked
   on every message, whatever the channel, and the message's metadata is
   replaced by the result: `verified_profile_id` for a valid token,
   `token_rejected` for a forged, tampered or expired one, nothing else.
   What a client puts in the metadata is never passed on, so no client can
   claim to be someone (bot/shared/tokens.py). A text's metadata is what the
   sms channel asserts (the number's young person, or `sms_unregistered`),
   taken only from the channel's own message objects
   (bot/rasa_server/channels/sms.py).
3. Typed payloads: a message that starts with `/` ("/intent{entities}")
   bypasses NLU, so a citizen could type any intent with any entity
   ("/EXTERNAL_meeting_reminder{"meeting_id": 2}"). Such a message is taken
   as written only when it is a button payload the assistant offered in this
   conversation, or one the widget itself sends (OWN_PAYLOADS); otherwise its
   leading slashes are dropped and NLU reads it as ordinary text. The
   external events of the reminder job come through the HTTP API with its
   secret, not through a channel, so they never pass here.
4. Limits (the municipality file's `security`): a message longer than
   `max_message_chars`, unless the phrase safeguard sees a danger in it, and
   every message past `messages_per_minute` in one conversation (counted
   with the other Rasa servers in Redis when there are several,
   bot/rasa_server/shared_limits.py), get a short Danish answer (112 and
   the phone number in it) from here, and are not read, stored or passed on.
5. Danger first, also while staff have the conversation: the staff app
   pauses a conversation it takes over (Rasa's `pause` event), and Rasa then
   only logs the user's messages. A message the danger layer flags (either
   tier) still gets the emergency numbers at once and raises the escalation
   to critical.
6. Speed: less CPU per turn with the same behaviour (bot/rasa_server/speedups.py:
   the action server's answers checked event by event against Rasa's schema,
   event classes looked up once, the requests' JSON written by ujson, the
   loaded model out of the garbage collector's sight). And the blocking parts
   of a turn (the NLU, the policies, the SQL tracker store) run in threads, so
   that the one event loop keeps answering webhooks while other
   conversations' turns are computed (bot/rasa_server/offload.py).
7. Faults: a custom action that fails or does not answer in time gets a
   short Danish answer with the municipality's phone number, and the
   conversation goes on (bot/rasa_server/action_faults.py). A message whose
   conversation the tracker store cannot read or save is told it did not
   get through, instead of Rasa's fall-back that reads the conversation as
   a new one and keeps the turn in memory (bot/rasa_server/tracker_store.py);
   so is one whose conversation's lock could not be taken (Redis did not
   answer for a few seconds, bot/rasa_server/lock_store.py).
8. Messages sent again: a message whose client id (the widget's, the REST
   body's) the conversation already has is answered from its stored turn,
   not handled twice (bot/rasa_server/resend.py).

Imports only the standard library, Rasa and the modules of
bot/ that both environments share: it runs in .venv/rasa, not in the
application environment.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from rasa.core.actions.action import RemoteAction, action_for_name_or_text
from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server import offload, speedups
from bot.rasa_server.action_faults import answering_when_actions_fail
from bot.rasa_server.channels.sms import asserted_by_sms
from bot.rasa_server.channels.widget import send_masked
from bot.rasa_server.resend import answering_resent_messages
from bot.rasa_server.shared_limits import SharedWindow
from bot.rasa_server.tracker_store import TrackerStoreUnavailable, refuse_to_fall_back
from bot.shared.cpr import MASK, mask_log_records, mask_payload, mask_values
from bot.shared.danger import signals_danger
from bot.shared.municipality import current_municipality
from bot.shared.protocol import TOKEN_REJECTED, VERIFIED_PROFILE_ID
from bot.shared.settings import load_settings
from bot.shared.tokens import verified_profile_id

logger = logging.getLogger(__name__)

CPR_NOTICE = "utter_cpr_removed"
MESSAGE_NOT_RECEIVED = "utter_message_not_received"
# Both tiers of the danger layer: while staff hold the conversation no
# check-in dialogue can run, so a message it is unsure about gets the
# emergency answer too (a false alarm costs a few lines of help text).
DANGER_INTENTS = ("express_distress", "possible_distress")
DANGER_WHILE_PAUSED = ("utter_distress_help", "action_escalate_distress")
PAYLOAD_PREFIX = "/"
# The widget's own button ("Tal med en medarbejder", bot/web/static/widget.js).
OWN_PAYLOADS = frozenset({"/request_human"})


async def told_before(agent: Agent, sender_id: str) -> bool:
    """Whether this conversation already had a CPR number masked (and the notice)."""
    tracker = await agent.tracker_store.retrieve(sender_id)
    return tracker is not None and any(MASK in (getattr(event, "text", None) or "") for event in tracker.events)


def with_cpr_masked(handle_message: Any) -> Any:
    async def handle(self: Agent, message: UserMessage) -> Any:
        masked = mask_payload(message.text or "")
        if isinstance(message.metadata, dict):
            message.metadata = mask_values(message.metadata)
        if masked != (message.text or ""):
            first_time = not await told_before(self, message.sender_id)
            message.text = masked
            await send_masked(message.output_channel, message.sender_id, message.message_id, masked)
            if first_time and message.output_channel is not None:
                notice = self.domain.responses.get(CPR_NOTICE) or [{"text": ""}]
                await message.output_channel.send_text_message(message.sender_id, notice[0]["text"])
        return await handle_message(self, message)

    return handle


def verified_metadata(metadata: Any, secret: str) -> dict[str, Any]:
    token = metadata.get("token") if isinstance(metadata, dict) else None
    if not isinstance(token, str) or not token:
        return {}
    profile_id = verified_profile_id(token, secret)
    return {VERIFIED_PROFILE_ID: profile_id} if profile_id is not None else {TOKEN_REJECTED: True}


def with_verified_identity(handle_message: Any, secret: str) -> Any:
    async def handle(self: Agent, message: UserMessage) -> Any:
        by_sms = asserted_by_sms(message)
        message.metadata = by_sms if by_sms is not None else verified_metadata(message.metadata, secret)
        return await handle_message(self, message)

    return handle


def offered_payloads(tracker: DialogueStateTracker | None) -> set[str]:
    """Every button payload the assistant sent in this conversation."""
    found: set[str] = set()
    for event in tracker.events if tracker is not None else []:
        if isinstance(event, BotUttered):
            found.update(
                str(b.get("payload", "")).strip() for b in event.data.get("buttons") or [] if isinstance(b, dict)
            )
    return found


def with_offered_payloads_only(handle_message: Any) -> Any:
    async def handle(self: Agent, message: UserMessage) -> Any:
        text = (message.text or "").strip()
        if (
            text.startswith(PAYLOAD_PREFIX)
            and text not in OWN_PAYLOADS
            and text not in offered_payloads(await self.tracker_store.retrieve(message.sender_id))
        ):
            message.text = text.lstrip(PAYLOAD_PREFIX).strip() or text
        return await handle_message(self, message)

    return handle


async def answer_directly(agent: Agent, message: UserMessage, response: str) -> None:
    """A response from the domain, filled in with the municipality's details, sent without touching the tracker."""
    if message.output_channel is None:
        return
    text = (agent.domain.responses.get(response) or [{"text": ""}])[0]["text"]
    municipality = current_municipality()
    await message.output_channel.send_text_message(
        message.sender_id, text.format_map({"municipality_phone": municipality.phone})
    )


def with_limits(handle_message: Any) -> Any:
    limits = current_municipality().security
    settings = load_settings()
    # Counted with the other Rasa servers when there are several (bot/rasa_server/shared_limits.py).
    per_conversation = SharedWindow(
        "messages", limits.messages_per_minute, 60, settings.limits_redis_url, settings.redis_prefix
    )

    async def handle(self: Agent, message: UserMessage) -> Any:
        text = message.text or ""
        if not await per_conversation.allow(message.sender_id):
            return await answer_directly(self, message, "utter_too_many_messages")
        if len(text) > limits.max_message_chars and not signals_danger(text):
            return await answer_directly(self, message, "utter_message_too_long")
        return await handle_message(self, message)

    return handle


def telling_when_the_store_fails(handle_message: Any) -> Any:
    """A message whose conversation could not be read or saved (the tracker
    store did not answer, bot/rasa_server/tracker_store.py), or whose
    conversation's lock could not be taken (Redis did not answer,
    bot/rasa_server/lock_store.py), gets a short answer that it did not get
    through, with 112 and the phone number; nothing of the turn is kept, so
    the person writes it again."""

    async def handle(self: Agent, message: UserMessage) -> Any:
        try:
            return await handle_message(self, message)
        except TrackerStoreUnavailable as error:
            logger.error("the tracker store did not answer (%s); the message was not taken", error)
        except LockError as error:
            logger.error("the conversation's lock could not be taken (%s); the message was not taken", error)
        await answer_directly(self, message, MESSAGE_NOT_RECEIVED)
        return None

    return handle


def failing_loudly(store: TrackerStore | None, domain: Domain) -> TrackerStore:
    """Agent._create_tracker_store without the silent fall-back to memory."""
    if store is None:
        store = InMemoryTrackerStore(domain)
    store.domain = domain
    return FailSafeTrackerStore(store, on_tracker_store_error=refuse_to_fall_back)


def answering_danger_while_paused(run_prediction_loop: Any) -> Any:
    async def run(self: MessageProcessor, output_channel: OutputChannel, tracker: DialogueStateTracker) -> None:
        latest = tracker.latest_message
        if tracker.is_paused() and latest is not None and latest.intent.get("name") in DANGER_INTENTS:
            for name in DANGER_WHILE_PAUSED:
                action = action_for_name_or_text(name, self.domain, self.action_endpoint)
                await self._run_action(
                    action, tracker, output_channel, self.nlg, PolicyPrediction.for_action_name(self.domain, name)
                )
            # Listen again, as after any turn, so the rules read the next message
            # in the usual state once the conversation is resumed.
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await run_prediction_loop(self, output_channel, tracker)

    return run


# The changes below replace methods of Rasa's own classes, where Rasa 3.6 has
# no extension point (a message before any channel's or the NLU's hands, the
# response check, a failing action server, the turn while a conversation is paused); they are written
# against 3.6 and checked by tests/unit/test_rasa_server.py and the e2e tests.
SUPPORTED_RASA = "3.6."


def check_rasa_version(version: str) -> None:
    if not version.startswith(SUPPORTED_RASA):
        raise RuntimeError(
            f"bot/rasa_server/launcher.py changes Rasa {SUPPORTED_RASA}x's methods; this is Rasa "
            f"{version}: check each change against it, then update SUPPORTED_RASA"
        )


def install() -> None:
    import rasa

    check_rasa_version(rasa.__version__)
    mask_log_records()
    speedups.install()
    RemoteAction.run = answering_when_actions_fail(RemoteAction.run, load_settings().action_timeout_seconds)
    # Masking first: a message the limits turn away is still shown, and kept in
    # the widget's local copy, and must be masked there too.
    Agent.handle_message = telling_when_the_store_fails(
        with_cpr_masked(
            with_limits(
                with_offered_payloads_only(
                    with_verified_identity(Agent.handle_message, load_settings().youth_token_secret)
                )
            )
        )
    )
    Agent._create_tracker_store = staticmethod(failing_loudly)
    # The NLU and the policies in a thread of their own (bot/rasa_server/offload.py).
    MessageProcessor._run_prediction_loop = answering_danger_while_paused(offload.install())
    # Inside the conversation's lock (Agent.handle_message takes it): a message sent again is not handled twice.
    MessageProcessor.handle_message = answering_resent_messages(MessageProcessor.handle_message)


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    # The HTTP API's secret comes from the environment and is added here, inside
    # the process: given on the command line it would be readable by every
    # user of the machine (ps, /proc/<pid>/cmdline).
    secret = os.environ.get("RASA_API_SECRET", "")
    if sys.argv[1:2] == ["run"] and secret:
        sys.argv += ["--jwt-secret", secret, "--jwt-method", "HS256"]
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
