"""Rasa's RulePolicy with the same predictions and less CPU per turn (runs inside the Rasa server).

Profiled with py-spy under `make bench`'s load (README, "Sizing"), Rasa 3.6's
RulePolicy spent about a seventh of the Rasa server's CPU per turn finding
the rules that fit the conversation (`_get_possible_keys`): each prediction
(two or three a turn) checked all of the 600-odd rules against the latest
state, and then every remaining rule against every earlier state of the
conversation, back to its start, though no rule is longer than a few states.
Two facts make most of that work unnecessary, with the same result:

- A rule whose latest state names a previous action (almost all do) can fit
  only a conversation whose latest previous action has that name
  (`_does_rule_match_state` compares the two). The rules are indexed by that
  name once; only the rules under the conversation's name, and those that
  name none, are checked, with Rasa's own check.
- A rule is applicable at every turn further back than its length
  (`_is_rule_applicable` returns True there), so once the states looked at
  are more than the longest remaining rule, the remaining rules are the
  answer: the walk stops there.

Installed in the Rasa server by bot/rasa_server/speedups.py (a subclass in
config.yml would do the same, but Rasa 3.6's recipe validator and its policy
ensemble recognise the RulePolicy by its exact class and name). Training and
`rasa test` use Rasa's own. `tests/unit/test_rasa_rule_index.py` compares
the two on every state of the test stories' conversations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.nlu.constants import ACTION_NAME

State = dict[str, dict[str, Any]]
Index = tuple[dict[Any, list[str]], dict[str, int]]


def latest_action_name(state: State) -> Any:
    """The previous action's name a (rule or conversation) state names, or None."""
    name = (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
    return None if not name or name == SHOULD_NOT_BE_SET else name


def rule_index(policy: RulePolicy, lookup: dict[str, str]) -> Index:
    """The lookup's rules by the latest previous action they name, and each rule's length;
    built once per lookup (the rules, the loops' unhappy paths), again only if it changed."""
    indexes: dict[int, Index] = policy.__dict__.setdefault("_rule_indexes", {})
    found = indexes.get(id(lookup))
    if found is None or len(found[1]) != len(lookup):
        by_name: dict[Any, list[str]] = {}
        lengths: dict[str, int] = {}
        for key in lookup:
            states = policy._rule_key_to_state(key)
            lengths[key] = len(states)
            by_name.setdefault(latest_action_name(states[-1]) if states else None, []).append(key)
        found = indexes[id(lookup)] = (by_name, lengths)
    return found


def indexed(get_possible_keys: Callable[..., set[str]]) -> Callable[..., set[str]]:
    def possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
        if not states or not lookup:
            return get_possible_keys(self, lookup, states)
        by_name, lengths = rule_index(self, lookup)
        name = latest_action_name(states[-1])
        possible = set(by_name.get(None, ()))
        if name is not None:
            possible.update(by_name.get(name, ()))
        for turn, state in enumerate(reversed(states)):
            if not possible or turn >= max(lengths[key] for key in possible):
                break
            possible = {key for key in possible if self._is_rule_applicable(key, turn, state)}
        return possible

    return possible_keys


def install() -> None:
    RulePolicy._get_possible_keys = indexed(RulePolicy._get_possible_keys)
