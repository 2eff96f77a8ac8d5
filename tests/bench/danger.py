"""`make bench`, the danger layer: recall at the high and the check-in tier
on the danger sets (per kind of danger on the categorised ones), false
alarms on their hard negatives, the check-in rate on ordinary messages of
the other intents, and the time the learned score adds to a turn.

The trained model's own pipeline decides (through `rasa test nlu`): the
danger layer turns the high tier into express_distress and the check-in tier
into possible_distress, so the predicted intent is the tier.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.shared.danger import signals_danger
from bot.shared.settings import ROOT
from tests.bench.danger_thresholds import configured_thresholds, short_pieces, trained_model
from tests.unit.test_danger_model import SHORT_PIECES_CEILING

DATA = ROOT / "tests" / "data"
HIGH, CHECK_IN = "express_distress", "possible_distress"
SETS = {
    "blind 5, tests/data/danger_blind5.yml (written blind 2026-12-08, measured once before its session's changes)": (
        "danger_blind5.yml"
    ),
    "blind 4, tests/data/danger_blind4.yml (written blind 2026-12-07, measured once before its session's changes)": (
        "danger_blind4.yml"
    ),
    "blind 3, tests/data/danger_blind3.yml (written blind, measured once before its session's training)": (
        "danger_blind3.yml"
    ),
    ("fresh blind, tests/data/danger_fresh.yml (written without seeing the training data)"): "danger_fresh.yml",
    "blind, tests/data/danger_test.yml (written without seeing the training data)": "danger_test.yml",
    "development, tests/data/danger_dev.yml (thresholds chosen here)": "danger_dev.yml",
    "older blind, tests/data/distress_test.yml": "distress_test.yml",
    "older development, tests/data/distress_dev.yml": "distress_dev.yml",
}
TARGETS = "targets: recall (high or check-in) >= 0.98; false alarms high <= 5 %, any <= 10 %"


def read_set(name: str) -> tuple[dict[str, list[str]], list[str]]:
    """(danger messages by kind, hard negatives); an uncategorised set is one kind, 'all'."""
    cases = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    positive = cases.get("danger", cases.get("distress"))
    negative = cases.get("not_danger", cases.get("not_distress"))
    return (positive if isinstance(positive, dict) else {"all": positive}), list(negative)


def predictions(run_nlu: Callable[..., Path], name: str, out_dir: Path) -> dict[str, str]:
    """The intent the trained pipeline gives every message of the set."""
    by_kind, negatives = read_set(name)
    # rasa test nlu wants labels; the negatives get a stand-in one, only the predictions count.
    blocks = [
        {"intent": HIGH, "examples": "".join(f"- {t}\n" for texts in by_kind.values() for t in texts)},
        {"intent": "out_of_scope", "examples": "".join(f"- {t}\n" for t in negatives)},
    ]
    messages = out_dir / name
    messages.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True), encoding="utf-8")
    return predicted_intents(run_nlu(messages, "--successes"))


def predicted_intents(report_dir: Path) -> dict[str, str]:
    predicted = {}
    for result in ("intent_successes.json", "intent_errors.json"):
        path = report_dir / result
        for item in json.loads(path.read_text()) if path.exists() else []:
            predicted[item["text"]] = item["intent_prediction"]["name"]
    return predicted


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / max(total, 1):.3f})"


def danger_sets(run_nlu: Callable[..., Path], out_dir: Path) -> None:
    for label, name in SETS.items():
        by_kind, negatives = read_set(name)
        predicted = predictions(run_nlu, name, out_dir)
        every = [t for texts in by_kind.values() for t in texts]
        high = sum(predicted.get(t) == HIGH for t in every)
        any_tier = sum(predicted.get(t) in (HIGH, CHECK_IN) for t in every)
        alarms_high = sum(predicted.get(t) == HIGH for t in negatives)
        alarms_any = sum(predicted.get(t) in (HIGH, CHECK_IN) for t in negatives)
        print(f"\nDanger, {label}")
        print(
            f"  recall high {share(high, len(every))}, high or check-in {share(any_tier, len(every))}; "
            f"the phrase safeguard alone {share(sum(signals_danger(t) for t in every), len(every))}"
        )
        print(
            f"  false alarms on hard negatives: high {share(alarms_high, len(negatives))}, "
            f"high or check-in {share(alarms_any, len(negatives))}"
        )
        print(f"  {TARGETS}")
        if len(by_kind) > 1:
            for kind, texts in by_kind.items():
                caught = sum(predicted.get(t) in (HIGH, CHECK_IN) for t in texts)
                missed = [t for t in texts if predicted.get(t) not in (HIGH, CHECK_IN)]
                print(f"    {kind:17} {share(caught, len(texts))}" + (f"  missed: {missed}" if missed else ""))


def check_in_rate(report_dirs: list[Path]) -> None:
    """Ordinary messages of the other intents (the NLU and youth held-out sets,
    which hold no danger message) that the danger layer flagged."""
    flagged, total = [], 0
    for report_dir in report_dirs:
        for result in ("intent_successes.json", "intent_errors.json"):
            path = report_dir / result
            for item in json.loads(path.read_text()) if path.exists() else []:
                total += 1
                if item["intent_prediction"]["name"] in (HIGH, CHECK_IN):
                    flagged.append(item["text"])
    print(
        f"\nDanger layer on ordinary messages of the other intents: flagged {share(len(flagged), total)}"
        f"   target <= 2 %" + (f"\n  {flagged}" if flagged else "")
    )


def short_answers() -> None:
    """Runs of 1-5 words of the held-out ordinary messages that the learned
    score (the phrase safeguard included) flags: short answers in a form."""

    model = trained_model()
    thresholds = configured_thresholds()
    pieces = short_pieces()
    flagged = [text for text in pieces if model.assess(text, thresholds).tier]
    print(
        f"\nDanger layer on short pieces (1-5 words) of ordinary messages: flagged {share(len(flagged), len(pieces))}"
        f"   gate <= {SHORT_PIECES_CEILING:.3f}\n  {flagged}"
    )


def added_latency() -> None:
    """The learned score's time per message (the phrase safeguard included), as the Rasa server runs it."""

    model = trained_model()
    thresholds = configured_thresholds()
    _, negatives = read_set("danger_dev.yml")
    timings = []
    for text in negatives * 3:
        started = time.perf_counter()
        model.assess(text, thresholds)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"\nDanger layer, time added per message: median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms   target <= 5 ms"
    )
