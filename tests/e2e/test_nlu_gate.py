"""The quality gate for understanding, through the running Rasa server: on the
blind sets (written without seeing the training data, kept out of it by the
leak check in tests/test_nlu_data.py), the parents' intents, the young
people's intents and the service topics must not fall below their floors.
The floors only move up: raise them when NLU gets better, never lower them
to let a change land. `make bench` prints the same numbers per intent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml
from sklearn.metrics import f1_score

from actions.services import topic_of_message
from bot.rasa_client import api_headers
from bot.shared.settings import ROOT
from tests.bench.danger_thresholds import strip_entities
from tests.e2e.conftest import RunningAssistant

# Parsing reads no database: the gate runs against the SQLite servers only (the
# PostgreSQL ones would parse the same thousands of messages again, minutes of CI).
pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("running", ["sqlite"], indirect=True)]

DATA = ROOT / "tests" / "data"
# Measured when last raised (2026-12-06, make bench), rounded down with about
# 0.01 of room for the small differences through the running server (the
# danger layer last in the pipeline): parents' blind set macro F1 0.912, the
# second parents' blind set 0.914, young people's 0.924, the second young
# people's set 0.892; service topics 0.956. The third sets, first measured
# 2026-12-06 evening with the model they were first replayed on: parents
# 0.848, young people 0.922. With the two batches of new examples (2026-12-07):
# parents 0.908, 0.902, 0.880; young people 0.944, 0.891, 0.944. The fourth
# sets, first measured 2026-12-07 with the model of that morning, before any
# change made after reading them (the honest figure for messages nobody on
# the team wrote): parents 0.874, young people 0.927. With the logistic
# regression in DIET's place and the third parents' batch (2026-12-07, 03:45):
# parents 0.928, 0.939, 0.927, 0.911; young people 0.980, 0.930, 0.966, 0.951.
# With the fourth batch of examples (2026-12-07, 06:50; kinds of message the
# sets showed missing: one-word answers, English shorthand, emoji after words,
# the borders between neighbouring intents): parents 0.963, 0.971, 0.959,
# 0.948; young people 0.974, 0.964, 0.982, 0.974. The fifth sets, written
# the same day by a writer who saw only the contract, kept away from the
# helper who wrote that batch, and first measured with it (the honest figure):
# parents 0.934, young people 0.941 (with the model before the batch: 0.916
# and 0.906). With the folded spelling, word pairs and the fifth batch
# (2026-12-07): parents 0.965, 0.981, 0.974, 0.956, 0.952; young people 0.994,
# 0.982, 0.998, 0.984, 0.982. The sixth sets, first measured with that model:
# parents 0.951, young people 0.978. A sixth batch (by kind, from all twelve
# sets' errors) and the seventh sets, first measured with it: parents 0.951,
# young people 0.960 (the model before the batch: 0.946 and 0.962); the
# sixth sets then 0.968 and 0.986. The eighth sets, first measured with
# the day's model: parents 0.930, young people 0.968; the ninth, first
# measured after the seventh and eighth batches and the typo corrector:
# parents 0.916, young people 0.969. With the ninth batch (floors about
# 0.01 under): parents 0.976, 0.980, 0.984, 0.959, 0.964, 0.978, 0.973,
# 0.960, 0.950; young people 0.983, 0.994, 1.0, 0.984, 0.987, 0.979, 0.982,
# 0.972, 0.969. The tenth sets, first measured with that model (2026-12-07):
# parents 0.937, young people 0.960; with a tenth batch written from their
# errors' kinds: 0.949 and 0.980 (the other sets within 0.003 of before).
# The eleventh sets (2026-12-07, night), first measured with the model of main as
# the thirteenth session found it: parents 0.973 (accuracy 0.954), young people
# 0.966 (0.954); with that session's changes 0.974 and 0.967 (no batch came
# from their errors).
# The twelfth sets (2026-12-08), first measured with the model of main as the fourteenth
# session found it: parents 0.966 (accuracy 0.951), young people 0.976 (0.964); no
# example was added from them.
INTENT_F1_FLOOR = {
    "nlu_test.yml": 0.965,
    "nlu_blind2.yml": 0.97,
    "nlu_blind3.yml": 0.97,
    "nlu_blind4.yml": 0.95,
    "youth_test.yml": 0.975,
    "youth_blind2.yml": 0.98,
    "youth_blind3.yml": 0.99,
    "youth_blind4.yml": 0.97,
    "nlu_blind5.yml": 0.955,
    "youth_blind5.yml": 0.975,
    "nlu_blind6.yml": 0.97,
    "youth_blind6.yml": 0.97,
    "nlu_blind7.yml": 0.96,
    "youth_blind7.yml": 0.97,
    "nlu_blind8.yml": 0.95,
    "youth_blind8.yml": 0.96,
    "nlu_blind9.yml": 0.94,
    "youth_blind9.yml": 0.955,
    "nlu_blind10.yml": 0.935,
    "youth_blind10.yml": 0.97,
    "nlu_blind11.yml": 0.96,
    "youth_blind11.yml": 0.955,
    "nlu_blind12.yml": 0.955,
    "youth_blind12.yml": 0.965,
}
# The service topics of faq_test.yml's questions, as the assistant answers them
# (the pick, or the one service a question names where the pick was not sure of
# another: actions/services.py). The raw pick alone was 170/180 (0.944) for two
# models trained here on 2026-12-07 and above 0.95 on CI's machine for the same
# data: the ResponseSelector's training differs from machine to machine.
TOPIC_ACCURACY_FLOOR = 0.95


def labelled(name: str) -> list[tuple[str, str]]:
    blocks = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["nlu"]
    return [
        (strip_entities(line.strip()[2:].strip()), block["intent"])
        for block in blocks
        for line in block["examples"].splitlines()
        if line.strip()
    ]


def parse_all(running: RunningAssistant, texts: list[str]) -> list[dict[str, Any]]:
    settings = running.assistant.settings
    with httpx.Client(headers=api_headers(settings.rasa_api_secret), timeout=30) as client:
        return [client.post(f"{settings.rasa_url}/model/parse", json={"text": text}).json() for text in texts]


def macro_f1(running: RunningAssistant, name: str) -> float:
    """Macro F1 over the set's intents, as `rasa test nlu` reports it: a message
    taken for an intent outside the set lowers its own intent's recall."""
    cases = labelled(name)
    predicted = [parsed["intent"]["name"] for parsed in parse_all(running, [text for text, _ in cases])]
    truth = [intent for _, intent in cases]
    return float(f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0))


@pytest.mark.parametrize("name", list(INTENT_F1_FLOOR))
def test_the_intents_hold_their_floor(running: RunningAssistant, name: str) -> None:
    score = macro_f1(running, name)
    assert score >= INTENT_F1_FLOOR[name], f"macro F1 {score:.3f}"


def test_the_service_topics_hold_their_floor(running: RunningAssistant) -> None:
    cases = [(text, intent) for text, intent in labelled("faq_test.yml") if intent.startswith("faq/")]
    parsed = parse_all(running, [text for text, _ in cases])
    # The topic each question is answered with: the ResponseSelector's pick, or the one
    # service the question names by its own word where the pick was not sure of another.
    found = [topic_of_message(p) for p in parsed]
    accuracy = sum(f"faq/{f}" == intent for f, (_, intent) in zip(found, cases, strict=True)) / len(cases)
    assert accuracy >= TOPIC_ACCURACY_FLOOR, f"topic accuracy {accuracy:.3f}"
