"""The Rasa server's indexed rule look-up (bot/rasa_server/rule_index.py)
finds the same rules as Rasa's RulePolicy and so predicts the same: a
RulePolicy trained on this project's rules and stories, asked before every
action of every rule, story and test story, with Rasa's own look-up and with
the index, in the Rasa environment."""

from __future__ import annotations

import pytest

from tests.helpers import in_rasa

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

COMPARE = r"""
import json, tempfile
from pathlib import Path
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter
from bot.rasa_server import rule_index

importer = TrainingDataImporter.load_from_config("config.yml", "domain", ["data", "tests/test_stories.yml"])
domain = importer.get_domain()
trackers = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0).generate()
storage = LocalModelStorage(Path(tempfile.mkdtemp()))
config = RulePolicy.get_default_config() | {
    "core_fallback_threshold": 0.3, "core_fallback_action_name": "action_handle_fallback",
    "enable_fallback_prediction": True, "check_for_contradictions": False,
}
policy = RulePolicy(config, storage, Resource("rules"), ExecutionContext(GraphSchema({}), "test"))
policy.train(trackers, domain)
rules_only = policy._get_rule_only_data()
lookups = {name: policy.lookup.get(name, {}) for name in ("rules", "rules_for_loop_unhappy_path")}

points = []  # the conversation just before each action, once each
seen = set()
for tracker in trackers:
    events = list(tracker.events)
    for index, event in enumerate(events):
        if isinstance(event, ActionExecuted) and index:
            key = json.dumps([e.as_dict() | {"timestamp": 0} for e in events[:index]], sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                points.append(DialogueStateTracker.from_events(tracker.sender_id, events[:index], domain.slots))

def answers():
    keys, predictions = [], []
    for point in points:
        states = policy._prediction_states(point, domain, rule_only_data=rules_only)
        keys.append({name: sorted(policy._get_possible_keys(lookup, states)) for name, lookup in lookups.items()})
        prediction = policy.predict_action_probabilities(point, domain, rule_only_data=rules_only)
        predictions.append([prediction.probabilities, [e.as_dict() for e in prediction.optional_events]])
    return keys, predictions

before = answers()
rule_index.install()
after = answers()
print(json.dumps({
    "points": len(points),
    "rules": len(lookups["rules"]),
    "same keys": before[0] == after[0],
    "same predictions": before[1] == after[1],
    "some rule found": sum(bool(k["rules"]) for k in after[0]),
    "unhappy paths found": sum(bool(k["rules_for_loop_unhappy_path"]) for k in after[0]),
}))
"""


def test_the_indexed_look_up_finds_the_same_rules_and_predicts_the_same_as_rasa() -> None:
    found, stderr = in_rasa(COMPARE)
    assert found["same keys"] and found["same predictions"], stderr[-2000:]
    # Compared where it matters: hundreds of rules, many points, rules and unhappy paths found.
    assert found["rules"] > 300 and found["points"] > 500, found
    assert found["some rule found"] > found["points"] // 3 and found["unhappy paths found"] > 10, found
