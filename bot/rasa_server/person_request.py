"""A message that asks for a person in so many words is `request_human`
when the classifier read it as a yes, a no, chit-chat or nothing
(bot/shared/person_request.py). Before the DangerDetector, which still
has the last word."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message

from bot.shared import person_request

REQUEST_HUMAN = "request_human"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PersonRequestReader(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PersonRequestReader:
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The code's own text, so that a change to it is a new model."""
        digest = hashlib.sha256()
        for module in (person_request, sys.modules[__name__]):
            digest.update(Path(str(module.__file__)).read_bytes())
        return digest.hexdigest()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            predicted = (message.get("intent") or {}).get("name")
            if predicted in person_request.OVERRIDDEN and person_request.asks_for_a_person(
                str(message.get("text") or "")
            ):
                intent = {"name": REQUEST_HUMAN, "confidence": 1.0}
                ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != REQUEST_HUMAN]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", [intent, *ranking], add_to_output=True)
        return messages
