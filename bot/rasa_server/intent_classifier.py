"""The intent classifier: Rasa's logistic regression on the sparse features
(config.yml says why it replaced DIET), taking a message that has no features
at all, such as an empty one: Rasa's own stacks an empty row and fails, and
the Rasa server answered nothing. Such a message gets the classifier's
prior, far under the FallbackClassifier's threshold, so it is answered as
one not understood (actions/fallback.py: "Skriv gerne en besked").

Its weights are kept column-first: scikit-learn multiplies a message's sparse
row with the transposed weights, which for the row-first array it trains
was a copy of all 35k x 34 of them per message (1.6 of the classifier's
2.7 ms; the same probabilities either way, measured 2026-12-07)."""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentClassifier(LogisticRegressionClassifier):
    """LogisticRegressionClassifier, with a row of zeros for a message without features."""

    def _columns_first(self) -> None:
        weights = getattr(self.clf, "coef_", None)
        if weights is not None:
            self.clf.coef_ = np.asfortranarray(weights)

    def train(self, training_data: TrainingData) -> Resource:
        resource = super().train(training_data)
        self._columns_first()
        return resource

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> IntentClassifier:
        loaded = super().load(*args, **kwargs)
        assert isinstance(loaded, IntentClassifier)  # Rasa's load returns cls(...)
        loaded._columns_first()
        return loaded

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        width = getattr(self.clf, "n_features_in_", None)
        rows = []
        for message in messages:
            sparse = message.get_sparse_features(attribute=TEXT)[1]
            dense = message.get_dense_features(attribute=TEXT)[1]
            if sparse is None and dense is None and width:
                rows.append(csr_matrix((1, width)))
                continue
            parts = [csr_matrix(found.features) for found in (sparse, dense) if found is not None]
            rows.append(hstack(parts))
        return vstack(rows)
