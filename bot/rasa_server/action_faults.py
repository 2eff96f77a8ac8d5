"""When the action server fails, the citizen is told, and the conversation goes on.

Rasa 3.6 calls the action server for every custom action. When the call fails
(nothing listens, the server dies in the middle of the turn, it answers 500)
Rasa logs the error, drops the action's events and goes on without a word to
the citizen; when the server hangs, Rasa waits five minutes
(DEFAULT_REQUEST_TIMEOUT). Here the call is given `ACTION_TIMEOUT_SECONDS`
(settings), and on any failure:

- action_session_start: the session starts with the slots the action would
  have set, made here from the municipality file (bot/shared/municipality.py),
  so the answers of this turn, the emergency answer first, still name the
  phone number and the opening hours;
- a form's validation (validate_<form>): the citizen gets
  `utter_action_unavailable`, the slots this message filled are set back to
  what they were (they were never checked), and the form asks the same
  question again, so the same answer, written again, is read as before;
- any other custom action: the citizen gets `utter_action_unavailable` (what
  happened, the municipality's phone number, 112) and the turn ends there,
  so the next message is read in the same state once the server is back.

A danger message is answered before the first custom action of its rule
(`utter_distress_help` is a response of the domain, sent by the Rasa server
alone), so the emergency numbers never depend on the action server.

A form's rejection (ActionExecutionRejection, an answer of the action server)
is not a failure and passes through. Imports only the standard library, Rasa
and bot/shared: it runs in .venv/rasa.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    FollowupAction,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.shared.municipality import session_slots

logger = logging.getLogger(__name__)

ACTION_UNAVAILABLE = "utter_action_unavailable"
VALIDATION_PREFIX = "validate_"


def session_started_here() -> list[Event]:
    """What action_session_start returns (actions/session.py), made without it."""
    slots: list[Event] = [SlotSet(name, value) for name, value in session_slots().items()]
    return [SessionStarted(), *slots, ActionExecuted(ACTION_LISTEN_NAME)]


def unavailable_message(domain: Domain) -> BotUttered:
    """The response, filled in from the municipality file (the slots may be
    empty: the session may have started without the action server)."""
    text = (domain.responses.get(ACTION_UNAVAILABLE) or [{"text": ""}])[0]["text"]
    return BotUttered(text.format_map(session_slots()), metadata={"utter_action": ACTION_UNAVAILABLE})


def this_turns_slots_undone(tracker: DialogueStateTracker) -> list[Event]:
    """SlotSet events that put back every slot the latest message set (its
    extraction, before any check) to its value before that message."""
    events = list(tracker.events)
    latest = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=len(events))
    before: dict[str, Any] = {}
    for event in events[:latest]:
        if isinstance(event, SessionStarted):
            before = {}
        elif isinstance(event, SlotSet):
            before[event.key] = event.value
    changed = {e.key for e in events[latest:] if isinstance(e, SlotSet) and e.key != REQUESTED_SLOT}
    return [SlotSet(key, before.get(key)) for key in sorted(changed)]


def answering_when_actions_fail(run: Any, timeout: float) -> Any:
    async def run_or_answer(
        self: RemoteAction,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> list[Event]:
        try:
            events: list[Event] = await asyncio.wait_for(run(self, output_channel, nlg, tracker, domain), timeout)
            return events
        except ActionExecutionRejection:
            raise
        except (RasaException, asyncio.TimeoutError) as error:
            # No message text in the log: the action's name and the kind of failure only.
            logger.error("custom action %s failed (%s); the citizen is told", self.name(), type(error).__name__)
            if self.name() == ACTION_SESSION_START_NAME:
                return session_started_here()
            if self.name().startswith(VALIDATION_PREFIX):
                return [unavailable_message(domain), *this_turns_slots_undone(tracker)]
            return [unavailable_message(domain), FollowupAction(ACTION_LISTEN_NAME)]

    return run_or_answer
