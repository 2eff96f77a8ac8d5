"""The CPU savings in the NLU pipeline change no reading: with the trained
model, every message whose service pick can be read (a `faq` question,
one NLU fell back on with `faq` on top, one that names a service) has it,
short answers skip the ResponseSelector, and the intent classifier's
column-first weights give the probabilities of the weights as trained."""

from __future__ import annotations

import pytest

from tests.helpers import in_rasa

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

PARSE = r"""
import asyncio, json, sys
import numpy as np
import yaml
from rasa.core.agent import Agent
from bot.shared.service_words import named_topics
from bot.training import model_path

def messages(path):
    for block in yaml.safe_load(open(path))["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                yield line.strip()[2:]

async def main():
    agent = Agent.load(str(model_path()))
    texts = [t for path in sys.argv[1:] for t in messages(path)]
    texts += ["ja", "nej tak", "tak", "mette@example.dk", "20. marts", "hvad koster tandplejen?"]
    missing, picked, skipped = [], 0, []
    for text in texts:
        parsed = await agent.parse_message(text)
        intent = parsed["intent"]["name"]
        ranking = [r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
        selector = parsed.get("response_selector") or {}
        assert "faq" in selector.get("all_retrieval_intents", []), selector
        needed = intent == "faq" or (intent == "nlu_fallback" and ranking and ranking[0]["name"] == "faq")
        needed = needed or bool(named_topics(text))
        if "faq" in selector:
            picked += 1
        else:
            skipped.append(text)
            if needed:
                missing.append(text)
    nodes = agent.processor.graph_runner._instantiated_nodes
    classifier = next(n._component for name, n in nodes.items() if "IntentClassifier" in name)
    clf = classifier.clf
    rows = np.random.default_rng(0).random((5, clf.coef_.shape[1]))
    trained = np.ascontiguousarray(clf.coef_)
    manual = rows @ trained.T + clf.intercept_
    manual = np.exp(manual - manual.max(axis=1, keepdims=True))
    manual /= manual.sum(axis=1, keepdims=True)
    print(json.dumps({
        "missing": missing, "picked": picked, "skipped": skipped,
        "columns_first": bool(clf.coef_.flags.f_contiguous),
        "same_probabilities": bool(np.allclose(clf.predict_proba(rows), manual, atol=1e-12)),
    }))

asyncio.run(main())
"""


def test_the_service_pick_is_there_wherever_it_is_read_and_short_answers_skip_it() -> None:
    found, _ = in_rasa(PARSE, "tests/data/faq_test.yml", "tests/data/nlu_test.yml", "tests/data/youth_test.yml")
    assert found["missing"] == []
    assert found["picked"] >= 100  # the service questions
    assert {"ja", "nej tak", "tak", "mette@example.dk", "20. marts"} <= set(found["skipped"])
    assert "hvad koster tandplejen?" not in found["skipped"]  # names a service
    assert found["columns_first"] and found["same_probabilities"]
