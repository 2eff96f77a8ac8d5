"""What the danger layer trains on: every NLU example except the blocks for
the intent classifier alone (`metadata: {intent_only: true}`), in the Rasa
pipeline (bot/rasa_server/danger_detector.py) and in the bench's copy of it
(tests/bench/danger_thresholds.py) alike; the intent classifier still
learns from those blocks."""

from __future__ import annotations

import pytest
import yaml

from bot.shared.danger_model import INTENT_ONLY, trains_the_danger_layer
from bot.shared.settings import ROOT
from tests.bench.danger_thresholds import training_examples
from tests.helpers import in_rasa


def intent_only_examples() -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block and (block.get("metadata") or {}).get(INTENT_ONLY) is True:
                found.update(line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip())
    return found


def test_the_flag_and_nothing_else_keeps_a_block_out() -> None:
    assert not trains_the_danger_layer({INTENT_ONLY: True})
    assert trains_the_danger_layer({}) and trains_the_danger_layer(None)
    assert trains_the_danger_layer({"danger_layer_only": True, "category": "violence"})


def test_the_bench_trains_the_danger_layer_without_the_intent_only_blocks() -> None:
    kept_out = intent_only_examples()
    assert kept_out, "the fifth batch is marked intent_only"
    texts, is_danger, _, _ = training_examples()
    assert not kept_out & set(texts) - {t for t, d in zip(texts, is_danger, strict=True) if d}
    assert any(is_danger) and not all(is_danger)


PIPELINE = """
import json
from rasa.shared.nlu.training_data.message import Message
from bot.rasa_server.danger_detector import for_the_classifiers, for_the_danger_layer

def example(metadata):
    return Message(data={"text": "hej igen", "intent": "greet", "metadata": {"intent": metadata}})

cases = {"plain": {}, "intent only": {"intent_only": True}, "danger layer only": {"danger_layer_only": True}}
found = {name: [for_the_danger_layer(example(m)), for_the_classifiers(example(m))] for name, m in cases.items()}
print(json.dumps(found))
"""


@pytest.mark.rasa
def test_the_rasa_pipeline_keeps_the_same_blocks_out() -> None:
    found, _ = in_rasa(PIPELINE)
    assert found == {"plain": [True, True], "intent only": [False, True], "danger layer only": [True, False]}
