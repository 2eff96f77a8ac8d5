"""The danger layer of the NLU pipeline (runs inside the Rasa server, in
.venv/rasa), in two components:

`DangerScorer`, before the intent classifier: every message is scored for
danger (bot/shared/danger_model.py) and checked against the phrase safeguard
(bot/shared/danger.py); the assessment goes into the parse data under `danger`.
It trains on the NLU data (express_distress against every other example)
and then takes the express_distress examples, and the hard negatives
written for it (`metadata: {danger_layer_only: true}`), out of what the
intent classifier and the response selector train on: the classifier never
decides danger, so learning it only cost them training time and accuracy on
the other intents (make bench). Rasa passes on what a component's
`process_training_data` returns only for tokenizers and featurizers, hence
the featurizer type; it adds no features.

`DangerDetector`, last in the pipeline (after the FallbackClassifier too),
whatever the classifiers said, decides:

- high (a clear phrase, or a score at or above `high_threshold`): the intent
  becomes express_distress with full confidence, so no classifier error,
  form or fallback can hide it;
- check-in (a score at or above `check_in_threshold`, or
  `check_in_threshold_brief` for a message of 6-10 words): the intent becomes
  possible_distress, and the assistant asks before anything else whether
  someone is in danger right now;
- otherwise the classifier's intent stands (nlu_fallback included).

For both tiers the entity `danger_kind` says which help fits first
(suicide, medical, poisoning, violence, child, homeless, baby or general):
the emergency answer's variations and the case for staff read it.

An express_distress block's `metadata: {category: …}` names the kind of
danger its examples are (data/nlu/safety.yml).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import METADATA, METADATA_EXAMPLE, METADATA_INTENT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.components import StatelessComponent, code_fingerprint
from bot.shared import danger as danger_phrases
from bot.shared import danger_model, danger_scoring
from bot.shared.danger_model import DangerModel, Thresholds
from bot.shared.protocol import DANGER_INTENT

logger = logging.getLogger(__name__)

DISTRESS = DANGER_INTENT
NLU_FALLBACK = "nlu_fallback"
CHECK_IN = "possible_distress"
KIND_ENTITY = "danger_kind"
MODEL_FILE = "danger_model.pkl"


def block_metadata(message: Message, name: str) -> Any:
    """A key of the example's own metadata, or of its NLU block's."""
    metadata = message.get(METADATA) or {}
    for key in (METADATA_EXAMPLE, METADATA_INTENT):
        part = metadata.get(key)
        if isinstance(part, dict) and name in part:
            return part[name]
    return None


def example_category(message: Message) -> str | None:
    category = block_metadata(message, "category")
    return category if isinstance(category, str) else None


def for_the_classifiers(message: Message) -> bool:
    """Danger is this layer's alone, and so are the hard negatives written for it
    (`metadata: {danger_layer_only: true}`): they taught the intent classifier (DIET, then) nothing it needs and
    cost it accuracy on the other intents (make bench)."""
    return message.get("intent") != DISTRESS and block_metadata(message, "danger_layer_only") is not True


def for_the_danger_layer(message: Message) -> bool:
    """Not in a block for the intent classifier alone (danger_model.INTENT_ONLY)."""
    flag = block_metadata(message, danger_model.INTENT_ONLY)
    return danger_model.trains_the_danger_layer({danger_model.INTENT_ONLY: flag})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class DangerScorer(GraphComponent):
    """Scores every message; trains first and keeps danger out of the classifiers' training data."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "high_threshold": 0.8,
            "check_in_threshold": 0.45,
            "check_in_threshold_brief": None,
            "regularisation": 32.0,
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: DangerModel | None = None
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        brief = self._config["check_in_threshold_brief"]
        self._thresholds = Thresholds(
            high=float(self._config["high_threshold"]),
            check_in=float(self._config["check_in_threshold"]),
            check_in_brief=None if brief is None else float(brief),
        )
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The layer's own code, so that Rasa's training cache retrains it when
        the code changes (the cache keys only on config and data otherwise,
        and would load an old model file into new code); danger_scoring too,
        whose networks a change of their own once left out of the key."""
        return code_fingerprint(danger_model, danger_scoring, danger_phrases, sys.modules[__name__])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerScorer:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            m for m in training_data.intent_examples if m.get("text") and m.get("intent") and for_the_danger_layer(m)
        ]
        self._model = DangerModel.train(
            [m.get("text") for m in examples],
            [m.get("intent") == DISTRESS for m in examples],
            [example_category(m) for m in examples],
            regularisation=float(self._config["regularisation"]),
            hard_negative=[block_metadata(m, "danger_layer_only") is True for m in examples],
        )
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DangerScorer:
        with model_storage.read_from(resource) as directory:
            model = DangerModel.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data.filter_training_examples(for_the_classifiers)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get("text") or ""
            if text:
                assessment = self._model.assess(text, self._thresholds)
                message.set(
                    "danger",
                    {
                        "probability": round(assessment.probability, 4),
                        "tier": assessment.tier,
                        "category": assessment.category,
                        "phrase": assessment.phrase_match,
                        "help": assessment.help,
                    },
                    add_to_output=True,
                )
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DangerDetector(StatelessComponent, IntentClassifier):
    """Turns the scorer's tier into the intent, whatever the classifier said."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            danger = message.get("danger")
            if danger and danger.get("tier"):
                self._decide(message, danger)
        return messages

    @staticmethod
    def _decide(message: Message, danger: dict[str, Any]) -> None:
        ranking = [
            r for r in message.get("intent_ranking") or [] if r.get("name") not in (DISTRESS, CHECK_IN, NLU_FALLBACK)
        ]
        intent = {"name": DISTRESS if danger["tier"] == "high" else CHECK_IN, "confidence": 1.0}
        message.set("intent", intent, add_to_output=True)
        message.set("intent_ranking", [intent, *ranking], add_to_output=True)
        entities = [e for e in message.get("entities") or [] if e.get("entity") != KIND_ENTITY]
        entities.append(
            {
                "entity": KIND_ENTITY,
                "value": danger["help"],
                "start": 0,
                "end": len(message.get("text")),
                "confidence": danger["probability"],
                "extractor": DangerDetector.__name__,
            }
        )
        message.set("entities", entities, add_to_output=True)
