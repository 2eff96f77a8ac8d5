"""The danger score's machinery (bot/shared/danger_model.py): the message's
features, and the fitted heads read once for fast scoring of one message (the
Rasa server scores one message at a time) and in batches (training, the
bench). The same numbers either way (tests/unit/test_danger_model.py)."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import FeatureUnion

from bot.shared.danger import without_idioms

# The network of the long head: small and few passes, chosen on the development
# sets (more units or passes learned the training messages by heart).
HIDDEN_UNITS = 16
PASSES = 15


def features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    preprocessor=without_idioms,
                    sublinear_tf=True,
                    min_df=1,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    preprocessor=without_idioms,
                    token_pattern=r"(?u)\b\w+\b",
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )


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

    def __call__(self, text: str) -> tuple[NDArray[Any], NDArray[Any]]:
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


class Head:
    """One fitted danger-vs-the-rest model, read once for fast scoring."""

    def __init__(self, model: LogisticRegression) -> None:
        self.model = model
        sign = 1.0 if bool(model.classes_[1]) else -1.0  # the score of class True
        self._weights = sign * np.asarray(model.coef_[0], dtype=np.float64)
        self._bias = sign * float(model.intercept_[0])

    def one(self, indices: NDArray[Any], weights: NDArray[Any]) -> float:
        return 1.0 / (1.0 + math.exp(-(float(self._weights[indices] @ weights) + self._bias)))

    def many(self, matrix: Any) -> NDArray[Any]:
        scores: NDArray[Any] = self.model.predict_proba(matrix)[:, list(self.model.classes_).index(True)]
        return scores


class NetworkHead:
    """The small neural network of the long head, read once for fast scoring:
    one hidden layer of rectified units over the message's few features."""

    def __init__(self, network: MLPClassifier) -> None:
        self.network = network
        self._inner = np.asarray(network.coefs_[0], dtype=np.float64)
        self._inner_bias = np.asarray(network.intercepts_[0], dtype=np.float64)
        self._outer = np.asarray(network.coefs_[1][:, 0], dtype=np.float64)
        self._outer_bias = float(network.intercepts_[1][0])
        self._true = list(network.classes_).index(True)

    def one(self, indices: NDArray[Any], weights: NDArray[Any]) -> float:
        hidden = np.maximum(weights @ self._inner[indices] + self._inner_bias, 0.0)
        probability = 1.0 / (1.0 + math.exp(-(float(hidden @ self._outer) + self._outer_bias)))
        return probability if self._true == 1 else 1.0 - probability

    def many(self, matrix: Any) -> NDArray[Any]:
        scores: NDArray[Any] = self.network.predict_proba(matrix)[:, self._true]
        return scores


class Blend:
    """The mean of the linear and the network head."""

    def __init__(self, linear: Head, network: NetworkHead) -> None:
        self._heads = (linear, network)

    def one(self, indices: NDArray[Any], weights: NDArray[Any]) -> float:
        linear, network = self._heads
        return (linear.one(indices, weights) + network.one(indices, weights)) / 2.0

    def many(self, matrix: Any) -> NDArray[Any]:
        linear, network = self._heads
        scores: NDArray[Any] = (linear.many(matrix) + network.many(matrix)) / 2.0
        return scores


def fit_network(matrix: Any, is_danger: Sequence[bool]) -> MLPClassifier:
    """The network on the written examples, the danger ones repeated to balance
    the classes (MLPClassifier takes no sample weights in this scikit-learn)."""
    flags = np.asarray(is_danger, dtype=bool)
    repeats = max(1, round(float((~flags).sum()) / float(flags.sum())))
    rows = np.concatenate([np.arange(len(flags)), np.repeat(np.flatnonzero(flags), repeats - 1)])
    network = MLPClassifier(hidden_layer_sizes=(HIDDEN_UNITS,), alpha=1e-3, max_iter=PASSES, random_state=0)
    with warnings.catch_warnings():
        # A fixed number of passes on purpose (HIDDEN_UNITS): it stops before convergence.
        warnings.simplefilter("ignore", ConvergenceWarning)
        network.fit(matrix[rows], flags[rows])
    return network
