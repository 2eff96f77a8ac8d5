"""A message that is a pairing code and little else ("K7P-4QX", "koden er
k7p 4qx") is `identify`, whatever the classifier made of six random
characters: measured on the blind conversations, DIET read a bare code as
`identify` for some codes and as nothing (nlu_fallback) for others, and the
young person who had just been asked for their code was told "Det forstod
jeg ikke helt". Before the DangerDetector, which still has the last word."""

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

from bot.shared import pairing_code

IDENTIFY = "identify"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PairingCodeReader(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PairingCodeReader:
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The code's own text, so that a change to it is a new model."""
        digest = hashlib.sha256()
        for module in (pairing_code, sys.modules[__name__]):
            digest.update(Path(str(module.__file__)).read_bytes())
        return digest.hexdigest()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if pairing_code.only_a_code(str(message.get("text") or "")):
                intent = {"name": IDENTIFY, "confidence": 1.0}
                ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != IDENTIFY]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", [intent, *ranking], add_to_output=True)
        return messages
