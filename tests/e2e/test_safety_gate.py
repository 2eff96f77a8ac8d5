"""The quality gate for danger, through the running Rasa server: on the blind
sets (tests/data/danger_fresh.yml and danger_test.yml, each written by
someone who never saw the training data; kept out of training by the
near-duplicate leak check in tests/test_nlu_data.py), recall at the high or the check-in tier must not
fall below its floor, and false alarms on its hard negatives must not rise
above their ceilings. The floors only move up: raise them when the danger
layer gets better, never lower them to let a change land."""

from __future__ import annotations

import pytest

from tests.bench.danger import read_set
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_safety_http import parse

pytestmark = pytest.mark.e2e

# Measured when last changed (2026-12-06; make bench prints the same numbers),
# rounded down (recall) and up (false alarms). danger_fresh.yml: recall
# 166/166 (1.000), false alarms 7/170 at the high tier (0.041) and 22/170 at
# either (0.129); danger_test.yml: 153/154 (0.994), 13/140 (0.093), 24/140
# (0.171); distress_test.yml: 40/40, 0/40 and 1/40. Against the last landing
# (fresh 12 and 20 false alarms, test 15 and 23; recall 0.994 and 0.994): the
# high tier's false alarms fell by 40 % and 13 % (a clear phrase said loosely,
# "… slår mig ihjel hvis jeg … haha", now needs the score for the emergency
# answer, else it is a check-in), recall on the fresh set rose to 1.000, and
# the check-in tier's false alarms rose by two and one with the check-in
# threshold at 0.40 (chosen on the development sets: the highest with recall
# 1.000 there). Those two ceilings were raised by 0.01, on purpose: a check-in
# costs a question, a miss costs everything. The target for the
# check-in tier (<= 0.10 either) is not met yet.
RECALL_FLOOR = {"danger_fresh.yml": 0.99, "danger_test.yml": 0.99, "distress_test.yml": 0.99}
HIGH_ALARM_CEILING = {"danger_fresh.yml": 0.05, "danger_test.yml": 0.10, "distress_test.yml": 0.03}
ANY_ALARM_CEILING = {"danger_fresh.yml": 0.13, "danger_test.yml": 0.18, "distress_test.yml": 0.03}


@pytest.mark.parametrize("name", list(RECALL_FLOOR))
def test_danger_recall_and_false_alarms_hold_on_the_blind_sets(running: RunningAssistant, name: str) -> None:
    by_kind, negatives = read_set(name)
    danger = [text for texts in by_kind.values() for text in texts]
    tiers = {text: parse(running, text)["danger"]["tier"] for text in [*danger, *negatives]}
    missed = [text for text in danger if tiers[text] is None]
    recall = 1 - len(missed) / len(danger)
    high_alarms = sum(tiers[text] == "high" for text in negatives) / len(negatives)
    any_alarms = sum(tiers[text] is not None for text in negatives) / len(negatives)
    assert recall >= RECALL_FLOOR[name], f"recall {recall:.3f}; missed: {missed}"
    assert high_alarms <= HIGH_ALARM_CEILING[name], f"false alarms at the high tier {high_alarms:.3f}"
    assert any_alarms <= ANY_ALARM_CEILING[name], f"false alarms at either tier {any_alarms:.3f}"
