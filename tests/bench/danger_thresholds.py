"""Choose the danger layer's two thresholds on the development sets
(tests/data/danger_dev.yml, distress_dev.yml), never on the blind set.

Trains the learned score (bot/shared/danger_model.py) on data/nlu as `rasa train`
does, and prints, for candidate thresholds, the recall at the high and at
the check-in tier and the false alarms on the hard negatives and on the
ordinary messages of the NLU dev sets. Runs in either environment:

    .venv/rasa/bin/python -m tests.bench.danger_thresholds
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import sklearn
import yaml

from bot.shared import danger, danger_model, danger_scoring
from bot.shared.danger import hedged, phrase_kind, said_at_a_distance
from bot.shared.danger_model import DangerModel, Thresholds, is_brief, trains_the_danger_layer
from bot.shared.settings import VAR_DIR

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def training_examples() -> tuple[list[str], list[bool], list[str | None], list[bool]]:
    """(texts, is danger, category, is a hard negative written for the danger layer)."""
    texts: list[str] = []
    danger: list[bool] = []
    categories: list[str | None] = []
    hard: list[bool] = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in block:
                continue
            metadata = block.get("metadata") or {}
            if not trains_the_danger_layer(metadata):
                continue
            for line in block["examples"].splitlines():
                if line.strip():
                    texts.append(strip_entities(line.strip()[2:].strip()))
                    danger.append(block["intent"] == "express_distress")
                    categories.append(metadata.get("category"))
                    hard.append(metadata.get("danger_layer_only") is True)
    return texts, danger, categories, hard


def trained_model() -> DangerModel:
    """The danger model trained on data/nlu as `rasa train` does, kept in
    var/cache under a key of the training data, the layer's code and
    scikit-learn's version: the inner loop (make test-fast) and the bench
    train it once, not once per test module and worker. Only files this
    function wrote are loaded."""
    digest = hashlib.sha256(sklearn.__version__.encode())
    for path in [
        *sorted((ROOT / "data" / "nlu").glob("*.yml")),
        Path(str(danger_model.__file__)),
        Path(str(danger_scoring.__file__)),
        Path(str(danger.__file__)),
    ]:
        digest.update(path.read_bytes())
    cached = VAR_DIR / "cache" / f"danger-model-{digest.hexdigest()[:20]}.pkl"
    if cached.exists():
        return DangerModel.load(cached)
    texts, is_danger, categories, hard = training_examples()
    model = DangerModel.train(texts, is_danger, categories, hard_negative=hard)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{id(model)}.partial")
    model.save(partial)
    partial.replace(cached)  # atomic: two test workers may train at once
    return model


def strip_entities(text: str) -> str:
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


def configured_thresholds() -> Thresholds:
    """The thresholds config.yml gives the danger layer."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    [detector] = [c for c in config["pipeline"] if c["name"].endswith("DangerScorer")]
    brief = detector.get("check_in_threshold_brief")
    return Thresholds(
        high=float(detector["high_threshold"]),
        check_in=float(detector["check_in_threshold"]),
        check_in_brief=None if brief is None else float(brief),
    )


def danger_set(name: str) -> tuple[list[str], list[str]]:
    cases = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    positive = cases.get("danger") or cases.get("distress")
    negative = cases.get("not_danger") or cases.get("not_distress")
    flat = [t for texts in positive.values() for t in texts] if isinstance(positive, dict) else list(positive)
    return flat, list(negative)


def ordinary_messages() -> list[str]:
    found = []
    for name in ("nlu_holdout.yml", "youth_holdout.yml"):
        for block in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["nlu"]:
            found += [
                strip_entities(line.strip()[2:].strip()) for line in block["examples"].splitlines() if line.strip()
            ]
    return found


def short_pieces(max_words: int = 5) -> list[str]:
    """Every run of 1 to max_words words of the held-out ordinary messages: the
    short answers people give in a form ("ved ikke", "han kommer ikke")."""
    found: set[str] = set()
    for text in ordinary_messages():
        words = text.split()
        for size in range(1, max_words + 1):
            found.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return sorted(found)


def rate(model: DangerModel, texts: list[str], thresholds: Thresholds, tiers: set[str]) -> float:
    scores = model.probabilities(texts)
    kinds = [phrase_kind(t) for t in texts]
    hits = [
        thresholds.tier(
            float(p),
            kind is not None,
            topic_only=kind == "topic",
            loosely=hedged(text),
            distant=said_at_a_distance(text),
            brief=is_brief(text),
        )
        in tiers
        for text, kind, p in zip(texts, kinds, scores, strict=True)
    ]
    return sum(hits) / max(len(hits), 1)


def main() -> None:
    model = trained_model()
    sets = {name: danger_set(name) for name in ("danger_dev.yml", "distress_dev.yml")}
    ordinary = ordinary_messages()
    print("high  check | recall high / any (dev, old dev) | false alarms high / any (dev, old dev) | ordinary any")
    for high in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        for check in (0.3, 0.4, 0.45, 0.5, 0.55, 0.6):
            if check > high:
                continue
            t = Thresholds(high=high, check_in=check)
            cells = []
            for positive, negative in sets.values():
                cells.append(
                    (
                        rate(model, positive, t, {"high"}),
                        rate(model, positive, t, {"high", "check_in"}),
                        rate(model, negative, t, {"high"}),
                        rate(model, negative, t, {"high", "check_in"}),
                    )
                )
            print(
                f"{high:.2f}  {check:.2f} | "
                + "  ".join(f"{c[0]:.3f}/{c[1]:.3f}" for c in cells)
                + " | "
                + "  ".join(f"{c[2]:.3f}/{c[3]:.3f}" for c in cells)
                + f" | {rate(model, ordinary, t, {'high', 'check_in'}):.3f}"
            )
    brief_thresholds(model)


# The sets the brief messages' check-in threshold is chosen on: the
# development sets and the two earlier blind sets, which the danger layer's
# work has since studied (danger_blind3.yml stays held out).
BRIEF_SETS = ("danger_dev.yml", "distress_dev.yml", "danger_test.yml", "danger_fresh.yml")


def brief_thresholds(model: DangerModel) -> None:
    """The check-in threshold of brief messages (6-10 words), the others as configured."""
    configured = configured_thresholds()
    sets = {name: danger_set(name) for name in BRIEF_SETS}
    ordinary = ordinary_messages()
    print("\ncheck-in brief | recall any / false alarms any, per set (" + ", ".join(BRIEF_SETS) + ") | ordinary any")
    for brief in (None, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        t = Thresholds(high=configured.high, check_in=configured.check_in, check_in_brief=brief)
        cells = [
            f"{rate(model, positive, t, {'high', 'check_in'}):.3f}/{rate(model, negative, t, {'high', 'check_in'}):.3f}"
            for positive, negative in sets.values()
        ]
        ordinary_rate = rate(model, ordinary, t, {"high", "check_in"})
        print(f"{brief or configured.check_in:.2f} | " + "  ".join(cells) + f" | {ordinary_rate:.3f}")


if __name__ == "__main__":
    main()
