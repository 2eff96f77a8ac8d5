"""Which NLU examples each part of the pipeline trains on, read from the real
data/nlu with Rasa's own loader: the paraphrases written for the intent
boundaries (`classifiers_only`) train the intent classifier and never the
danger score; danger and its hard negatives (`danger_layer_only`) train the
danger score and never the classifier. Runs in the Rasa environment."""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env

pytestmark = pytest.mark.rasa  # loads the data with Rasa itself, in .venv/rasa

SPLIT = """
import json
from rasa.shared.nlu.training_data.loading import load_data
from bot.rasa_server.danger_detector import block_metadata, for_the_classifiers, for_the_danger_layer

examples = load_data("data/nlu").intent_examples
def count(selected):
    return sum(1 for message in examples if selected(message))
paraphrase = lambda m: block_metadata(m, "classifiers_only") is True
danger_only = lambda m: block_metadata(m, "danger_layer_only") is True
danger = lambda m: m.get("intent") == "express_distress"
print(json.dumps({
    "paraphrases": count(paraphrase),
    "paraphrases for the classifier": count(lambda m: paraphrase(m) and for_the_classifiers(m)),
    "paraphrases for the danger score": count(lambda m: paraphrase(m) and for_the_danger_layer(m)),
    "danger examples for the danger score": count(lambda m: danger(m) and for_the_danger_layer(m)),
    "danger examples": count(danger),
    "hard negatives for the danger score": count(lambda m: danger_only(m) and for_the_danger_layer(m)),
    "hard negatives": count(danger_only),
    "others for the danger score": count(lambda m: not paraphrase(m) and for_the_danger_layer(m)),
    "others": count(lambda m: not paraphrase(m)),
}))
"""


@pytest.fixture(scope="module")
def split() -> dict[str, int]:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", SPLIT],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_paraphrases_train_the_classifier_and_not_the_danger_score(split: dict[str, int]) -> None:
    assert split["paraphrases"] > 500
    assert split["paraphrases for the classifier"] == split["paraphrases"]
    assert split["paraphrases for the danger score"] == 0


def test_everything_else_still_trains_the_danger_score(split: dict[str, int]) -> None:
    assert split["danger examples for the danger score"] == split["danger examples"] > 1000
    assert split["hard negatives for the danger score"] == split["hard negatives"] > 1000
    assert split["others for the danger score"] == split["others"]
