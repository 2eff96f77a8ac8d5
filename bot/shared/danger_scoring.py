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
# How many such networks, each from its own seed, the long head averages (fit_network).
NETWORKS = 5


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
    """The small neural networks of the long head (NETWORKS of them, each from
    its own seed), read once for fast scoring: one hidden layer of rectified
    units over the message's few features; the score is their mean."""

    def __init__(self, networks: Sequence[MLPClassifier]) -> None:
        self.networks = list(networks)
        self._inner = [np.asarray(n.coefs_[0], dtype=np.float64) for n in self.networks]
        self._inner_bias = [np.asarray(n.intercepts_[0], dtype=np.float64) for n in self.networks]
        self._outer = [np.asarray(n.coefs_[1][:, 0], dtype=np.float64) for n in self.networks]
        self._outer_bias = [float(n.intercepts_[1][0]) for n in self.networks]
        self._true = [list(n.classes_).index(True) for n in self.networks]

    def one(self, indices: NDArray[Any], weights: NDArray[Any]) -> float:
        total = 0.0
        for inner, inner_bias, outer, outer_bias, true in zip(
            self._inner, self._inner_bias, self._outer, self._outer_bias, self._true, strict=True
        ):
            hidden = np.maximum(weights @ inner[indices] + inner_bias, 0.0)
            probability = 1.0 / (1.0 + math.exp(-(float(hidden @ outer) + outer_bias)))
            total += probability if true == 1 else 1.0 - probability
        return total / len(self.networks)

    def many(self, matrix: Any) -> NDArray[Any]:
        scores: NDArray[Any] = np.mean(
            [n.predict_proba(matrix)[:, true] for n, true in zip(self.networks, self._true, strict=True)], axis=0
        )
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


def weighted_rows(weights: NDArray[Any], seed: int) -> NDArray[Any]:
    """Row indices whose counts follow `weights` (MLPClassifier takes no sample
    weights in this scikit-learn): a row of the lightest weight once, a row of
    r times its weight floor(r) times and once more with the chance of r's
    fraction. So the network learns from the same balance as the linear heads
    (bot/shared/danger_model.py, example_weights: the classes balanced, the
    hard negatives at their share), whatever the data's size; a whole repeat
    count, rounded, jumped with it (4 to 5 repeats of each danger example when
    461 ordinary examples came, 2026-12-07)."""
    ratio = np.asarray(weights, dtype=np.float64) / float(np.min(weights))
    whole = np.floor(ratio).astype(np.int64)
    extra = np.random.default_rng(seed).random(len(ratio)) < ratio - whole
    return np.repeat(np.arange(len(ratio)), whole + extra)


def fit_network(matrix: Any, is_danger: Sequence[bool], weights: NDArray[Any]) -> list[MLPClassifier]:
    """NETWORKS networks on the written examples in the balance of `weights`
    (weighted_rows), each from its own seed (its initial weights, its order of
    the rows, its draw of the fractional repeats). One network's false alarms
    on the blind sets moved by one or two messages from seed to seed or with
    the order of the training data (3-5 of 140 at the high tier on
    danger_test.yml over ten seeds, 2026-12-07); their mean moves far less."""
    flags = np.asarray(is_danger, dtype=bool)
    networks = []
    for seed in range(NETWORKS):
        rows = weighted_rows(weights, seed)
        network = MLPClassifier(hidden_layer_sizes=(HIDDEN_UNITS,), alpha=1e-3, max_iter=PASSES, random_state=seed)
        with warnings.catch_warnings():
            # A fixed number of passes on purpose (HIDDEN_UNITS): it stops before convergence.
            warnings.simplefilter("ignore", ConvergenceWarning)
            network.fit(matrix[rows], flags[rows])
        networks.append(network)
    return networks
