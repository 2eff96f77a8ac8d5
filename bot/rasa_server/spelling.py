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
data on only for tokenizers and featurizers; it adds no features itself."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_server.components import StatelessComponent
from bot.shared import spelling


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SpellingFolder(StatelessComponent):
    reads = (spelling,)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                token.lemma = spelling.fold(token.text)
        return messages
