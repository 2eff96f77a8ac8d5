"""The learned danger score: how likely a message signals danger to the writer
or a child, and which kind of danger, next to the intent classifier and the
phrase safeguard (bot/shared/danger.py).

A linear model on character n-grams (2-5, inside word boundaries) and word
uni- and bigrams of the message spelled without æ/ø/å, trained on danger
(express_distress) against every other training example, with balanced class
weights: the danger class is a few hundred messages among thousands, and a
miss costs far more than a false alarm. Character n-grams carry typos, "ae/oe"
spellings and inflections ("slog", "slået", "slaaet") to the same place.

Longer messages are scored by the mean of two heads on the same features:
the linear model and small neural networks (16 hidden units; the mean of
five, each from its own seed, trained in the linear model's balance of
examples: bot/shared/danger_scoring.py, fit_network). The network
sees words together ("har taget en masse" with "piller" or with "billeder",
"følger efter mig" with "står udenfor" or with "for at give mig min pung"),
which a linear model can only add up; the mean keeps the linear model's
recall. Measured on the development sets, the blend cut the false alarms at
either tier by about a fifth at the same recall (make bench).

Short messages get a head of their own (DangerModel): trained also on
single words and word pairs of the ordinary examples, it knows that "og",
"jeg ved ikke" or a typed pairing code is not danger, which the head for
longer messages, trained on long danger messages against short examples of
the other intents, did not.

Two thresholds, chosen on the development set (make bench prints the
numbers), make three tiers:
- high: the emergency answer and a critical case;
- check_in: a gentle question ("er du eller et barn i fare lige nu?") that
  already names 112 and Livslinien;
- below both: an ordinary message.

Runs in both environments (numpy and scikit-learn, no Rasa): the Rasa server
trains and serves it inside bot/rasa_server/danger_detector.py, and the application's
tests exercise it directly.
"""

from __future__ import annotations

import pickle
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import FeatureUnion

from bot.shared.danger import hedged, phrase_kind, said_at_a_distance, signals_danger
from bot.shared.danger_scoring import Blend, Head, NetworkHead, OneText, features, fit_network

Tier = Literal["high", "check_in"]
GENERAL = "general"

# What a kind of danger needs first, as the emergency answer shows it
# (utter_distress_help's variations in domain/safety.yml condition on these).
HELP_FOR_CATEGORY = {
    "suicide": "suicide",
    "self_harm": "suicide",
    "postnatal_crisis": "suicide",
    "overdose": "poisoning",
    "medical": "medical",
    "partner_violence": "violence",
    "stalking_threats": "violence",
    "child_abuse": "child",
    "sexual_abuse": "child",
    "homeless": "homeless",
    "harm_baby": "baby",
}
CATEGORIES = tuple(HELP_FOR_CATEGORY)
# A message of at most this many words is scored by the head that knows short answers.
SHORT_WORDS = 5
# A message of more words than SHORT_WORDS and at most this many is brief
# (Thresholds.check_in_brief).
BRIEF_WORDS = 10


# A topic word said at a distance is no floor below this score (Thresholds.tier):
# such everyday messages scored 0.00-0.04 on the development sets, a danger
# message with a topic word and a mark of distance far more ("for to år siden
# prøvede jeg at begå selvmord og nu har jeg de samme tanker igen": 0.99).
TOPIC_AT_A_DISTANCE_FLOOR = 0.1


@dataclass(frozen=True)
class Thresholds:
    """`check_in_brief`, when given, is the check-in threshold for a brief
    message (more than SHORT_WORDS, at most BRIEF_WORDS words), scored by the
    long head: a handful of words carries the whole score there, so one word
    that danger often uses ("skør", "skriger", "i nat") lifts an everyday
    message (0.4-0.7 on the development sets), while the brief danger messages
    that no phrase catches scored 0.82 and more (make bench)."""

    high: float
    check_in: float
    check_in_brief: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.check_in <= self.high <= 1.0:
            raise ValueError(f"need 0 < check_in <= high <= 1, got {self}")
        if self.check_in_brief is not None and not self.check_in <= self.check_in_brief <= self.high:
            raise ValueError(f"need check_in <= check_in_brief <= high, got {self}")

    def tier(
        self,
        probability: float,
        phrase_match: bool = False,
        topic_only: bool = False,
        loosely: bool = False,
        distant: bool = False,
        brief: bool = False,
    ) -> Tier | None:
        """The phrase safeguard is a floor under the score:
        - a clear phrase is high whatever the score;
        - unless the message is said loosely (bot/shared/danger.py,
          said_loosely: a longer message with "haha", "😂" or "hvis jeg …"):
          then it is high from the check-in threshold on and a check-in below
          it, so "min chef slår mig ihjel hvis jeg kommer for sent igen haha" is
          a question, not the emergency answer, and never nothing;
        - a topic word alone ("selvmord") is high from the check-in threshold on
          and a check-in below it, since people also write about the topic ("en
          dokumentar om selvmord");
        - but a topic word in a message about the topic read, studied or long
          over (bot/shared/danger.py, said_at_a_distance: "vi læser om
          selvskade", "en dokumentar om vold i hjemmet", "mange år siden, har
          det godt nu") is no floor when the score is far below the check-in
          threshold (TOPIC_AT_A_DISTANCE_FLOOR): the score, which reads the
          whole message, heard no danger in it.
        A brief message (`brief`) has the check-in threshold of its own
        (`check_in_brief`) where "the check-in threshold" is said above."""
        if topic_only and distant and probability < TOPIC_AT_A_DISTANCE_FLOOR:
            return None
        check_in = self.check_in_brief if brief and self.check_in_brief is not None else self.check_in
        if probability >= self.high or (phrase_match and not topic_only and not loosely):
            return "high"
        if phrase_match:
            return "high" if probability >= check_in else "check_in"
        if probability >= check_in:
            return "check_in"
        return None


@dataclass(frozen=True)
class Assessment:
    probability: float
    phrase_match: bool
    tier: Tier | None
    category: str

    @property
    def help(self) -> str:
        return HELP_FOR_CATEGORY.get(self.category, GENERAL)


def ordinary_pieces(texts: Sequence[str], is_danger: Sequence[bool], min_examples: int = 2) -> list[str]:
    """Single words, word pairs and runs of three words of the ordinary (not
    danger) examples, as messages of their own that are not danger.

    The danger examples are long and full of everyday words ("jeg", "har",
    "ikke", "i nat"); the other intents' examples are short. Trained on that
    alone, the score learned length and function words: "og", "jeg ved ikke",
    "han kommer ikke" or a pairing code with "har" in it scored as danger,
    since one known word then carries a message's whole weight. Pieces seen
    in at least `min_examples` ordinary examples, and not a danger phrase
    themselves, teach it that a short ordinary answer is ordinary
    (tests/unit/test_danger_model.py, make bench)."""
    seen: Counter[str] = Counter()
    for text, flag in zip(texts, is_danger, strict=True):
        if not flag:
            words = re.findall(r"\w+", text.lower())
            seen.update(
                {
                    *words,
                    *(f"{a} {b}" for a, b in pairwise(words)),
                    *(" ".join(words[i : i + 3]) for i in range(len(words) - 2)),
                }
            )
    return sorted(piece for piece, count in seen.items() if count >= min_examples and not signals_danger(piece))


# Blocks of NLU data marked `intent_only` teach the intent classifier alone:
# the danger score keeps to the data its thresholds were chosen on. A batch of
# 733 everyday messages for the other intents (2026-12-07) moved the score of
# a clear threat ("jeg kommer og dræber dig", quoted from a text message) from
# 0.385 to 0.332, under the check-in threshold; every ordinary example
# also counts as "not danger" here, so each batch of them moved a safety layer
# nobody meant to change.
INTENT_ONLY = "intent_only"


def trains_the_danger_layer(block_metadata: dict[str, Any] | None) -> bool:
    return (block_metadata or {}).get(INTENT_ONLY) is not True


# The hard negatives written for the danger layer (`danger_layer_only`: "min
# chef slår mig ihjel", "jeg dør af grin") carry at least this share of the
# ordinary class's weight. With balanced weights alone, every example added to
# the other intents' training data lowered their share, and with it what the
# score learned from them: 500 new examples for the parents' intents cost one
# more false alarm at the high tier on two blind sets (2026-12-06).
HARD_NEGATIVE_SHARE = 0.4


def example_weights(is_danger: Sequence[bool], hard_negative: Sequence[bool] | None = None) -> NDArray[Any]:
    """Balanced class weights over the written examples (a miss costs far more
    than a false alarm, and the danger class is a few hundred messages among
    thousands); within the ordinary class, the hard negatives together weigh
    at least HARD_NEGATIVE_SHARE of it, however many ordinary examples there are."""
    flags = np.asarray(is_danger, dtype=bool)
    weights = np.where(flags, len(flags) / (2 * flags.sum()), len(flags) / (2 * (~flags).sum()))
    hard = np.zeros_like(flags) if hard_negative is None else np.asarray(hard_negative, dtype=bool) & ~flags
    ordinary = ~flags & ~hard
    if hard.any() and ordinary.any() and hard.sum() / (~flags).sum() < HARD_NEGATIVE_SHARE:
        class_weight = len(flags) / 2
        weights[hard] = class_weight * HARD_NEGATIVE_SHARE / hard.sum()
        weights[ordinary] = class_weight * (1 - HARD_NEGATIVE_SHARE) / ordinary.sum()
    return weights


def _weights(is_danger: Sequence[bool], pieces: int, hard_negative: Sequence[bool] | None = None) -> NDArray[Any]:
    """The written examples' weights (example_weights); the pieces come on top
    with an ordinary example's balanced weight, so that they teach what a short
    answer is without diluting the written hard negatives."""
    flags = np.asarray(is_danger, dtype=bool)
    other_weight = len(flags) / (2 * (~flags).sum())
    return np.concatenate([example_weights(is_danger, hard_negative), np.full(pieces, other_weight)])


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def is_short(text: str) -> bool:
    return word_count(text) <= SHORT_WORDS


def is_brief(text: str) -> bool:
    return SHORT_WORDS < word_count(text) <= BRIEF_WORDS


class DangerModel:
    """A danger-vs-everything-else score and, for danger, its category.

    Heads on the same features: `long` (the linear model blended with the
    network) is trained on the written examples alone and scores messages of
    more than SHORT_WORDS words; `short` is also
    trained on the ordinary pieces (ordinary_pieces) and scores the short
    ones. One head for both cost recall on long danger messages (the pieces
    pulled everyday words towards "ordinary"); the long head alone flagged
    short everyday answers. A short danger message is caught by the short
    head and the phrase safeguard."""

    def __init__(
        self,
        features: FeatureUnion,
        long: LogisticRegression,
        short: LogisticRegression,
        categories: LogisticRegression | None,
        networks: Sequence[MLPClassifier],
    ) -> None:
        self._features = features
        self._heads = (long, short)
        self._networks = list(networks)
        self._long, self._short = Blend(Head(long), NetworkHead(networks)), Head(short)
        self._categories = categories
        self._one_text = OneText(features)

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        is_danger: Sequence[bool],
        categories: Sequence[str | None],
        regularisation: float = 32.0,
        hard_negative: Sequence[bool] | None = None,
    ) -> DangerModel:
        """`hard_negative` marks the examples written for the danger layer alone
        (example_weights)."""
        if not any(is_danger) or all(is_danger):
            raise ValueError("the danger score needs danger and other examples")
        pieces = ordinary_pieces(texts, is_danger)
        union = features()
        matrix = union.fit_transform([*texts, *pieces])
        written = matrix[: len(texts)]
        weights = example_weights(is_danger, hard_negative)
        long = LogisticRegression(C=regularisation, max_iter=5000, solver="liblinear")
        long.fit(written, np.asarray(is_danger, dtype=bool), sample_weight=weights)
        short = LogisticRegression(C=regularisation, max_iter=5000, solver="liblinear")
        short.fit(
            matrix,
            np.asarray([*is_danger, *([False] * len(pieces))], dtype=bool),
            sample_weight=_weights(is_danger, len(pieces), hard_negative),
        )
        known = [
            i
            for i, (flag, category) in enumerate(zip(is_danger, categories, strict=True))
            if flag and category in HELP_FOR_CATEGORY
        ]
        category_model = None
        if len({categories[i] for i in known}) >= 2:
            category_model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000)
            category_model.fit(written[known], [categories[i] for i in known])
        return cls(union, long, short, category_model, fit_network(written, is_danger, weights))

    def probabilities(self, texts: Sequence[str]) -> NDArray[Any]:
        texts = list(texts)
        matrix = self._features.transform(texts)
        short = np.asarray([is_short(text) for text in texts], dtype=bool)
        return np.where(short, self._short.many(matrix), self._long.many(matrix))

    def category(self, text: str) -> str:
        if self._categories is None:
            return GENERAL
        return str(self._categories.predict(self._features.transform([text]))[0])

    def assess(self, text: str, thresholds: Thresholds) -> Assessment:
        indices, weights = self._one_text(text)
        probability = (self._short if is_short(text) else self._long).one(indices, weights)
        kind = phrase_kind(text)
        phrase = kind is not None
        tier = thresholds.tier(
            probability,
            phrase,
            topic_only=kind == "topic",
            loosely=hedged(text),
            distant=said_at_a_distance(text),
            brief=is_brief(text),
        )
        return Assessment(probability, phrase, tier, self._one_category(indices, weights) if tier else GENERAL)

    def _one_category(self, indices: NDArray[Any], weights: NDArray[Any]) -> str:
        if self._categories is None:
            return GENERAL
        scores = self._categories.coef_[:, indices] @ weights + self._categories.intercept_
        return str(self._categories.classes_[int(np.argmax(scores))])

    def save(self, path: Path) -> None:
        with path.open("wb") as file:
            pickle.dump((self._features, *self._heads, self._categories, self._networks), file)

    @classmethod
    def load(cls, path: Path) -> DangerModel:
        # Only ever a file this class wrote into the trained model (Rasa's model storage).
        with path.open("rb") as file:
            features, long, short, categories, networks = pickle.load(file)
        return cls(features, long, short, categories, networks)
