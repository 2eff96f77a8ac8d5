"""The policies' shared past states (bot/rasa_server/shared_states.py) are
Rasa's own: for every tracker of the stories, the rules and the test stories
(forms, slots, rule trackers), and for each of them after a restart, a new
session, an undone message, an undone action and a form run again, every
combination of flags gives the states Rasa's `past_states` gives, with the
same dicts shared, the first time and each time after (when the copy handed
out before was edited as the featurizer edits it); a tracker with a new event
is computed anew. Compared in the Rasa environment."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

COMPARE = r"""
import json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActionReverted, ActiveLoop, Restarted, SessionStarted, UserUttered, UserUtteranceReverted,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data import loading
from rasa.shared.core.training_data.structures import StoryGraph
from bot.rasa_server import shared_states

domain = Domain.load("domain")
steps = loading.load_data_from_files(sys.argv[1:], domain)
generated = TrainingDataGenerator(
    StoryGraph(steps), domain, remove_duplicates=False, augmentation_factor=0, use_story_concatenation=False
).generate()


def plain(tracker):
    # The server's kind of tracker (the generator's own keeps states of its own).
    copied = DialogueStateTracker.from_events(tracker.sender_id, list(tracker.events), domain.slots)
    copied.is_rule_tracker = tracker.is_rule_tracker
    return copied


trackers = [plain(tracker) for tracker in generated]
AFTER = [
    [Restarted(), ActionExecuted("action_listen")],
    [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
    [UserUttered("hej", {"name": "greet", "confidence": 1.0}), UserUtteranceReverted()],
    [ActionExecuted("utter_greet"), ActionReverted()],
    [ActionExecuted("enrollment_form"), ActiveLoop("enrollment_form"), ActionExecuted("enrollment_form")],
]
for tracker in [t for t in trackers if not t.is_rule_tracker][:40]:
    for events in AFTER:
        changed = plain(tracker)
        for event in events:
            changed.update(event)
        trackers.append(changed)

rule_only_slots = [slot.name for slot in domain.slots][:3]
FLAGS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": {"slots": rule_only_slots, "loops": ["enrollment_form"]}},
    {"ignore_rule_only_turns": True, "rule_only_data": {"slots": [], "loops": []}},
    {"ignore_rule_only_turns": True, "omit_unset_slots": True, "rule_only_data": None},
]


def sharing(states):
    # Which sub-states are one and the same dict, as Rasa builds them.
    seen, found = {}, []
    for index, state in enumerate(states):
        for key, value in state.items():
            if isinstance(value, dict):
                if id(value) in seen:
                    found.append([seen[id(value)], [index, key]])
                else:
                    seen[id(value)] = [index, key]
    return found


def described(states):
    return [json.dumps(states, sort_keys=True), sharing(states)]


def edit(states):
    # What the featurizer does to states it is given (_choose_last_user_input, _cleanup_last_user_state...).
    if states:
        states[-1].get("user", {}).pop("intent", None)
        states[-1].pop("slots", None)
        del states[-1]


rasas = {
    f"{n} {f}": described(tracker.past_states(domain, **flags))
    for n, tracker in enumerate(trackers)
    for f, flags in enumerate(FLAGS)
}
shared_states.install()
differ = []
for n, tracker in enumerate(trackers):
    for f, flags in enumerate(FLAGS):
        for attempt in ("computed", "kept", "kept again"):
            states = tracker.past_states(domain, **flags)
            if described(states) != rasas[f"{n} {f}"]:
                differ.append([n, f, attempt])
            edit(states)

tracker = plain(trackers[0])
before = tracker.past_states(domain)
tracker.update(ActionExecuted("utter_greet"))
after = tracker.past_states(domain)
fresh = DialogueStateTracker.from_events(tracker.sender_id, list(tracker.events), domain.slots)
print(json.dumps({
    "trackers": len(trackers),
    "rule trackers": sum(t.is_rule_tracker for t in trackers),
    "with a form": sum(any(isinstance(e, ActiveLoop) for e in t.events) for t in trackers),
    "shared sub-states": sum(1 for found in rasas.values() if found[1]),
    "differ": differ,
    "new event": [len(before), len(after), described(after) == described(domain.states_for_tracker_history(fresh))],
}))
"""

SOURCES = ["tests/test_stories.yml", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data").glob("*/*.yml"))]


@pytest.fixture(scope="module")
def compared() -> dict[str, Any]:
    sources = [source for source in SOURCES if not source.startswith("data/nlu/")]
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", COMPARE, *sources],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_trackers_compared_have_forms_rules_and_shared_sub_states(compared: dict[str, Any]) -> None:
    assert compared["trackers"] > 300
    assert compared["rule trackers"] > 100
    assert compared["with a form"] > 300
    assert compared["shared sub-states"] > 500  # ignore_rule_only_turns shares the user's part, as in Rasa


def test_every_tracker_gets_rasas_states_computed_and_kept(compared: dict[str, Any]) -> None:
    assert compared["differ"] == []


def test_a_new_event_gives_new_states(compared: dict[str, Any]) -> None:
    before, after, same_as_rasa = compared["new event"]
    assert after == before + 1
    assert same_as_rasa
