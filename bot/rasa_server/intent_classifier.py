"""The intent classifier: Rasa's logistic regression on the sparse features
(config.yml says why it replaced DIET), taking a message that has no features
at all, such as an empty one: Rasa's own stacks an empty row and fails, and
the Rasa server answered nothing. Such a message gets the classifier's
prior, far under the FallbackClassifier's threshold, so it is answered as
one not understood (actions/fallback.py: "Skriv gerne en besked")."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentClassifier(LogisticRegressionClassifier):
    """LogisticRegressionClassifier, with a row of zeros for a message without features."""

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
