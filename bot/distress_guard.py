"""A Rasa NLU component (runs in .venv/rasa): after the intent classifier,
a message with a clear danger phrase (bot/danger.py) is express_distress with
full confidence, so no classifier error or fallback can hide it."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message

from bot.danger import signals_danger

DISTRESS = "express_distress"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DistressGuard(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DistressGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if signals_danger(message.get("text") or ""):
                intent = {"name": DISTRESS, "confidence": 1.0}
                ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != DISTRESS]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", [intent, *ranking], add_to_output=True)
        return messages
