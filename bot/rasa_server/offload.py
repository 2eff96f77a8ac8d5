"""Keep the Rasa server's event loop free (runs inside the Rasa server).

Rasa 3.6 handles every conversation's turns on one asyncio event loop, but
the heavy parts of a turn are blocking calls: the NLU pipeline and the
policies (`graph_runner.run`, spaCy, DIET, TED, the danger layer) and the
SQL tracker store (a synchronous SQLAlchemy session per call). While one of
them runs, nothing else on the loop moves: a text's webhook waited behind
other senders' turns before it could even register the message (the SMS
acknowledgement, `make bench`, p95 150-170 ms).

Here those calls run in threads, and the loop only waits for them:

- the model's graph (NLU and next-action prediction) in one thread of its
  own, so its components are never used by two threads at once, and turns
  take it in the order they asked for it;
- the tracker store's reads and writes in the loop's default executor
  (bot/rasa_server/tracker_store.py), each with its own session.

The order of a conversation's turns is unchanged: Rasa's lock store still
holds the conversation for the whole turn, and the turn awaits each call.

Written against Rasa 3.6 (the launcher checks the version): the two
replaced methods keep Rasa's bodies and only await the blocking call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from rasa.core.actions.action import Action
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.exceptions import ActionLimitReached
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger("rasa.core.processor")  # Rasa's own messages, as before
T = TypeVar("T")
MODEL_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasa-model")


async def in_model_thread(work: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(MODEL_THREAD, work, *args)


async def in_worker_thread(work: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, work, *args)


def finish(coroutine: Any) -> Any:
    """The result of a coroutine that never suspends (Rasa's SQL tracker store's
    `async def`s only call synchronous SQLAlchemy), run to its end in this thread."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("the coroutine waited for something: it cannot be finished in a worker thread")


async def parse_message(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    """Rasa 3.6's `MessageProcessor.parse_message`, the NLU graph run in the model thread."""
    if self.http_interpreter:
        parse_data: dict[str, Any] = await self.http_interpreter.parse(message)
    else:
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await in_model_thread(self._parse_message_with_graph, message, tracker, only_output_properties)
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


async def run_prediction_loop(
    self: MessageProcessor, output_channel: OutputChannel, tracker: DialogueStateTracker
) -> None:
    """Rasa 3.6's `MessageProcessor._run_prediction_loop`, each prediction made in the model thread."""
    should_predict_another_action = True
    while should_predict_another_action and self._should_handle_message(tracker):
        try:
            prediction: tuple[Action, PolicyPrediction] = await in_model_thread(
                self.predict_next_with_tracker_if_should, tracker
            )
        except ActionLimitReached:
            logger.warning(
                f"Circuit breaker tripped. Stopped predicting more actions for sender '{tracker.sender_id}'."
            )
            if self.on_circuit_break:
                self.on_circuit_break(tracker, output_channel, self.nlg)
            break
        action, policy_prediction = prediction
        if policy_prediction.is_end_to_end_prediction:
            tracker = await self.run_action_extract_slots(output_channel, tracker)
        should_predict_another_action = await self._run_action(
            action, tracker, output_channel, self.nlg, policy_prediction
        )


def install() -> Callable[..., Any]:
    """Replaces the two methods; returns the new prediction loop (the launcher wraps it)."""
    MessageProcessor.parse_message = parse_message
    MessageProcessor._run_prediction_loop = run_prediction_loop
    return run_prediction_loop
