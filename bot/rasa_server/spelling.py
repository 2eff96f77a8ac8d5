"""Words as people spell them, for the count-vector featurizers: each token's
lemma becomes its text folded to one spelling (bot/shared/spelling.py:
lower case, æ/ø/å and ae/oe/aa alike, a letter typed three times or more
counted twice), and the featurizers count those (config.yml, `use_lemma`).

Why: the blank Danish pipeline's lookup lemmas hurt more than they help
("med" becomes "mede", "går" "gå", and a word written without æ/ø/å gets no
lemma at all), while "møde", "moede" and "mode" are one word to the people
who write them. Measured offline on the ten NLU sets, the same classifier
(tests/data, macro F1 over each set's intents, mean of the blind sets):
lookup lemmas 0.962, the text as written 0.969, folded 0.969; with word
pairs too (the featurizer's `max_ngram: 2`) 0.971 and folded 0.974.

Runs after the DangerScorer, which keeps reading spaCy's lemmas; nothing else
in the pipeline reads a lemma (the other featurizers and extractors read the
text). Registered as a featurizer: Rasa passes a component's changed training
data on only for tokenizers and featurizers; it adds no features itself.

The TypoCorrector after it reads a folded word the training data never had
as the most frequent known word one typo away (bot/shared/spelling.py,
`nearest_known`). Measured 2026-12-07 with the trained model on four of the
older blind sets, each message also with one random typo in one of its
words of four letters or more: the typo cost 5-10 points of accuracy
(parents' fourth set 0.932 -> 0.835); with the correction 0.901, and the sets
as written unchanged (+0.002 to -0.002). Words of three letters corrected
too: no better."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.components import StatelessComponent, code_fingerprint
from bot.shared import pairing_code, spelling


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SpellingFolder(StatelessComponent):
    reads = (spelling, pairing_code)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            code = pairing_code.code_span(str(message.get(TEXT) or ""))
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                in_code = code is not None and token.start < code[1] and token.end > code[0]
                # A pairing code is random letters: counted, its pieces read as whatever they resemble
                # ("hej min kode er K6X-3JE, kan du vise mine tider?" was `identify`, the request lost).
                token.lemma = "" if in_code else spelling.fold(token.text)
        return messages


KNOWN_WORDS_FILE = "known_words.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class TypoCorrector(GraphComponent):
    """Learns the folded words of the training data and their counts; reads an unknown word as its nearest."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, known: dict[str, int] | None = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._known = known or {}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return code_fingerprint(spelling, sys.modules[__name__])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TypoCorrector:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        counts: Counter[str] = Counter()
        for message in training_data.training_examples:
            counts.update(token.lemma for token in message.get(TOKENS_NAMES[TEXT]) or [] if token.lemma)
        self._known = dict(counts)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / KNOWN_WORDS_FILE).write_text(json.dumps(self._known, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TypoCorrector:
        with model_storage.read_from(resource) as directory:
            known = json.loads((directory / KNOWN_WORDS_FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, known)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # every word of it is known

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                if token.lemma:
                    token.lemma = spelling.nearest_known(token.lemma, self._known)
        return messages
