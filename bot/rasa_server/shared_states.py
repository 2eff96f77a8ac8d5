"""The states of a conversation's history computed once per prediction, not once per policy.

Rasa's policies each ask the tracker for its past states
(`DialogueStateTracker.past_states`, which replays every event of the
conversation on a fresh tracker and builds a state before each action): the
RulePolicy twice a prediction (once for the text of the last message, once for
its intent), the MemoizationPolicy once, with several predictions a turn. With
the same events, domain and flags the answer is the same, so the first
answer is kept on the tracker and the others get a copy of it.

The copy is needed: the policies' featurizer edits the states it is given
(it deletes the text or the intent of the last user state, drops the last
state). It is a deep copy that keeps Rasa's sharing: with
`ignore_rule_only_turns` a state's user part is the same dict as the state
before it, as Rasa builds it, so an edit reaches both, as it would in Rasa.

What the states are made of, read from Rasa 3.6 (`Domain.states_for_tracker_history`,
`DialogueStateTracker.generate_all_prior_trackers` and `init_copy`): the
tracker's events, its sender, its slots as defined (a fresh tracker resets
their values), its event limit and whether it is a rule tracker; the domain;
the three flags. The kept answer is used only while every one of these is
the same (the events and the domain by identity, the kept answer holding
them, so that no new object can take an old one's place).
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable
from typing import Any

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

MEMO_ATTRIBUTE = "_shared_past_states"

PastStates = Callable[..., list[State]]


def _same_objects(kept: tuple[Any, ...], current: Any) -> bool:
    return len(kept) == len(current) and all(map(operator.is_, kept, current))


def _copy_of_states(states: list[State]) -> list[State]:
    """A deep copy: the same sharing of dicts as the original, nothing shared with it.

    Everything inside a state is a dict, a string, a number, None or a tuple of
    those (Domain.get_active_state); deepcopy leaves the immutable ones as they are.
    """
    return copy.deepcopy(states)


def sharing(past_states: PastStates) -> PastStates:
    """A `DialogueStateTracker.past_states` that keeps its last answer on the tracker."""

    def shared_past_states(
        self: DialogueStateTracker,
        domain: Domain,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        flags = (omit_unset_slots, ignore_rule_only_turns, copy.deepcopy(rule_only_data))
        identity = (self.sender_id, self._max_event_history, self.is_rule_tracker)
        slots = tuple(self.slots.values())
        memo: dict[Any, Any] = self.__dict__.setdefault(MEMO_ATTRIBUTE, {})
        kept = memo.get(flags[:2])
        if (
            kept is not None
            and kept["domain"] is domain
            and kept["flags"] == flags
            and kept["identity"] == identity
            and _same_objects(kept["slots"], slots)
            and _same_objects(kept["events"], self.events)
        ):
            return _copy_of_states(kept["states"])
        events = tuple(self.events)
        states = past_states(
            self,
            domain,
            omit_unset_slots=omit_unset_slots,
            ignore_rule_only_turns=ignore_rule_only_turns,
            rule_only_data=rule_only_data,
        )
        memo[flags[:2]] = {
            "domain": domain,
            "flags": flags,
            "identity": identity,
            "slots": slots,
            "events": events,
            "states": _copy_of_states(states),
        }
        return states

    return shared_past_states


def install() -> None:
    DialogueStateTracker.past_states = sharing(DialogueStateTracker.past_states)
