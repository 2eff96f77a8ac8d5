"""The danger layer of the NLU pipeline (runs inside the Rasa server, in
.venv/rasa): after the intent classifier, whatever it said, every message is
scored for danger (bot/danger_model.py) and checked against the phrase
safeguard (bot/danger.py), and this component decides:

- high (a clear phrase, or a score at or above `high_threshold`): the intent
  becomes express_distress with full confidence, so no classifier error,
  form or fallback can hide it;
- check-in (a score at or above `check_in_threshold`): the intent becomes
  possible_distress, and the assistant asks before anything else whether
  someone is in danger right now;
- otherwise the classifier's intent stands, unless it was express_distress:
  then its next guess does (the FallbackClassifier after this layer turns a
  weak one into nlu_fallback).

For both tiers the entity `danger_kind` says which help fits first
(suicide, medical, poisoning, violence, child, homeless, baby or general):
the emergency answer's variations and the case for staff read it. The whole
assessment is in the parse data under `danger` (make bench reads it).

Trained on the NLU data: express_distress against every other example. An
express_distress block's `metadata: {category: …}` names the kind of danger
its examples are (data/nlu/safety.yml).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import METADATA, METADATA_EXAMPLE, METADATA_INTENT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.danger_model import Assessment, DangerModel, Thresholds

logger = logging.getLogger(__name__)

DISTRESS = "express_distress"
CHECK_IN = "possible_distress"
KIND_ENTITY = "danger_kind"
MODEL_FILE = "danger_model.pkl"


def example_category(message: Message) -> str | None:
    metadata = message.get(METADATA) or {}
    for key in (METADATA_EXAMPLE, METADATA_INTENT):
        part = metadata.get(key)
        if isinstance(part, dict) and isinstance(part.get("category"), str):
            return str(part["category"])
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class DangerDetector(GraphComponent, IntentClassifier):
    # No required_components: Rasa would look for an intent classifier before
    # the training node too, where none runs. config.yml puts the layer after
    # DIET and the ResponseSelector, and at inference it runs in that order.

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"high_threshold": 0.8, "check_in_threshold": 0.45, "regularisation": 32.0}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: DangerModel | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._thresholds = Thresholds(high=float(self._config["high_threshold"]),
                                      check_in=float(self._config["check_in_threshold"]))
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DangerDetector:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get("text") and m.get("intent")]
        self._model = DangerModel.train(
            [m.get("text") for m in examples], [m.get("intent") == DISTRESS for m in examples],
            [example_category(m) for m in examples], regularisation=float(self._config["regularisation"]))
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> DangerDetector:
        with model_storage.read_from(resource) as directory:
            model = DangerModel.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:  # during training, before train() ran
            return messages
        for message in messages:
            text = message.get("text") or ""
            if text:
                self._decide(message, self._model.assess(text, self._thresholds))
        return messages

    def _decide(self, message: Message, assessment: Assessment) -> None:
        tier = assessment.tier
        message.set("danger", {"probability": round(assessment.probability, 4), "tier": tier,
                               "category": assessment.category, "phrase": assessment.phrase_match},
                    add_to_output=True)
        ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") not in (DISTRESS, CHECK_IN)]
        if tier is None:
            if (message.get("intent") or {}).get("name") == DISTRESS:
                # This layer decides danger, not the classifier: its express_distress
                # alone was a false alarm on one ordinary message in six
                # ("over and out", "gider ikk det her mere 🙄"); its next guess stands.
                message.set("intent", ranking[0] if ranking else {"name": None, "confidence": 0.0},
                            add_to_output=True)
                message.set("intent_ranking", ranking, add_to_output=True)
            return
        intent = {"name": DISTRESS if tier == "high" else CHECK_IN, "confidence": 1.0}
        message.set("intent", intent, add_to_output=True)
        message.set("intent_ranking", [intent, *ranking], add_to_output=True)
        entities = [e for e in message.get("entities") or [] if e.get("entity") != KIND_ENTITY]
        entities.append({"entity": KIND_ENTITY, "value": assessment.help, "start": 0, "end": len(message.get("text")),
                         "confidence": assessment.probability, "extractor": type(self).__name__})
        message.set("entities", entities, add_to_output=True)
