"""The learned danger score: how likely a message signals danger to the writer
or a child, and which kind of danger, next to the intent classifier and the
phrase safeguard (bot/danger.py).

A linear model on character n-grams (2-5, inside word boundaries) and word
uni- and bigrams of the message spelled without æ/ø/å, trained on danger
(express_distress) against every other training example, with balanced class
weights: the danger class is a few hundred messages among thousands, and a
miss costs far more than a false alarm. Character n-grams carry typos, "ae/oe"
spellings and inflections ("slog", "slået", "slaaet") to the same place.

Two thresholds, chosen on the development set (make bench prints the
numbers), make three tiers:
- high: the emergency answer and a critical case;
- check_in: a gentle question ("er du eller et barn i fare lige nu?") that
  already names 112 and Livslinien;
- below both: an ordinary message.

Runs in both environments (numpy and scikit-learn, no Rasa): the Rasa server
trains and serves it inside bot/danger_detector.py, and the application's
tests exercise it directly.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from bot.danger import normalise, signals_danger

Tier = Literal["high", "check_in"]
GENERAL = "general"

# What a kind of danger needs first, as the emergency answer shows it
# (utter_distress_help's variations in domain.yml condition on these).
HELP_FOR_CATEGORY = {
    "suicide": "suicide", "self_harm": "suicide", "postnatal_crisis": "suicide",
    "overdose": "poisoning", "medical": "medical",
    "partner_violence": "violence", "stalking_threats": "violence",
    "child_abuse": "child", "sexual_abuse": "child",
    "homeless": "homeless", "harm_baby": "baby",
}
CATEGORIES = tuple(HELP_FOR_CATEGORY)


@dataclass(frozen=True)
class Thresholds:
    high: float
    check_in: float

    def __post_init__(self) -> None:
        if not 0.0 < self.check_in <= self.high <= 1.0:
            raise ValueError(f"need 0 < check_in <= high <= 1, got {self}")

    def tier(self, probability: float, phrase_match: bool = False) -> Tier | None:
        """The phrase safeguard is a floor: a clear phrase is high whatever the score."""
        if phrase_match or probability >= self.high:
            return "high"
        if probability >= self.check_in:
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


def _features() -> FeatureUnion:
    return FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise,
                                  sublinear_tf=True, min_df=1, dtype=np.float32)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=normalise,
                                  token_pattern=r"(?u)\b\w+\b", sublinear_tf=True, dtype=np.float32)),
    ])


class OneText:
    """The fitted vectorizers' transform of one message as (indices, weights),
    the same numbers as FeatureUnion.transform without its per-call overhead
    (1.9 ms of a 3.8 ms turn, measured): the Rasa server scores one message
    at a time. Sublinear tf times the fitted idf, l2-normalised per
    vectorizer, as TfidfVectorizer does."""

    def __init__(self, features: FeatureUnion) -> None:
        self._parts = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            self._parts.append((vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.vocabulary_)

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        indices, weights = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for analyzer, vocabulary, idf, offset in self._parts:
            counts = Counter(i for gram in analyzer(text) if (i := vocabulary.get(gram)) is not None)
            if not counts:
                continue
            index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weight = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0) * idf[index]
            indices.append(index + offset)
            weights.append(weight / np.linalg.norm(weight))
        return np.concatenate(indices), np.concatenate(weights)


class DangerModel:
    """A danger-vs-everything-else score and, for danger, its category."""

    def __init__(self, features: FeatureUnion, danger: LogisticRegression,
                 categories: LogisticRegression | None) -> None:
        self._features = features
        self._danger = danger
        self._categories = categories
        self._one_text = OneText(features)
        # LogisticRegression's own numbers, read once: the score of class True.
        sign = 1.0 if bool(danger.classes_[1]) else -1.0
        self._danger_weights = sign * np.asarray(danger.coef_[0], dtype=np.float64)
        self._danger_bias = sign * float(danger.intercept_[0])

    @classmethod
    def train(cls, texts: Sequence[str], is_danger: Sequence[bool],
              categories: Sequence[str | None], regularisation: float = 32.0) -> DangerModel:
        if not any(is_danger) or all(is_danger):
            raise ValueError("the danger score needs danger and other examples")
        features = _features()
        matrix = features.fit_transform(list(texts))
        labels = np.asarray(is_danger, dtype=bool)
        danger = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000, solver="liblinear")
        danger.fit(matrix, labels)
        known = [i for i, (flag, category) in enumerate(zip(is_danger, categories, strict=True))
                 if flag and category in HELP_FOR_CATEGORY]
        category_model = None
        if len({categories[i] for i in known}) >= 2:
            category_model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000)
            category_model.fit(matrix[known], [categories[i] for i in known])
        return cls(features, danger, category_model)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self._danger_probabilities(self._features.transform(list(texts)))

    def _danger_probabilities(self, matrix: Any) -> np.ndarray:
        danger_column = list(self._danger.classes_).index(True)
        return self._danger.predict_proba(matrix)[:, danger_column]

    def category(self, text: str) -> str:
        return self._category(self._features.transform([text]))

    def _category(self, matrix: Any) -> str:
        if self._categories is None:
            return GENERAL
        return str(self._categories.predict(matrix)[0])

    def assess(self, text: str, thresholds: Thresholds) -> Assessment:
        indices, weights = self._one_text(text)
        logit = float(self._danger_weights[indices] @ weights) + self._danger_bias
        probability = 1.0 / (1.0 + math.exp(-logit))
        phrase = signals_danger(text)
        tier = thresholds.tier(probability, phrase)
        return Assessment(probability, phrase, tier, self._one_category(indices, weights) if tier else GENERAL)

    def _one_category(self, indices: np.ndarray, weights: np.ndarray) -> str:
        if self._categories is None:
            return GENERAL
        scores = self._categories.coef_[:, indices] @ weights + self._categories.intercept_
        return str(self._categories.classes_[int(np.argmax(scores))])

    def save(self, path: Path) -> None:
        with path.open("wb") as file:
            pickle.dump((self._features, self._danger, self._categories), file)

    @classmethod
    def load(cls, path: Path) -> DangerModel:
        # Only ever a file this class wrote into the trained model (Rasa's model storage).
        with path.open("rb") as file:
            features, danger, categories = pickle.load(file)
        return cls(features, danger, categories)
