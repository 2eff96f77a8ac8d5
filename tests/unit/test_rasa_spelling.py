"""The pipeline's SpellingFolder (bot/rasa_server/spelling.py) in the Rasa
environment: every token's lemma becomes its folded spelling, at training
and at prediction, and the text itself is never changed."""

from __future__ import annotations

import pytest

from tests.helpers import in_rasa

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

FOLD = """
import json
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from bot.rasa_server.spelling import SpellingFolder

tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
folder = SpellingFolder.create({}, None, None, None)
texts = ["Kan vi RYKKE moedet", "kan vi rykke mødet", "hejjj"]
predicted = [Message(data={TEXT: text}) for text in texts]
tokenizer.process(predicted)
folder.process(predicted)
trained = TrainingData([Message(data={TEXT: text, "intent": "greet"}) for text in texts])
tokenizer.process_training_data(trained)
folder.process_training_data(trained)
print(json.dumps({
    "predicted": [[t.lemma for t in m.get(TOKENS_NAMES[TEXT])] for m in predicted],
    "trained": [[t.lemma for t in m.get(TOKENS_NAMES[TEXT])] for m in trained.training_examples],
    "texts": [m.get(TEXT) for m in predicted],
    "fingerprint": bool(SpellingFolder.fingerprint_addon({})),
}))
"""


def test_lemmas_are_the_folded_spelling_and_the_text_is_kept() -> None:
    found, _ = in_rasa(FOLD)
    expected = [["kan", "vi", "rykke", "modet"], ["kan", "vi", "rykke", "modet"], ["hejj"]]
    assert found["predicted"] == expected
    assert found["trained"] == expected
    assert found["texts"] == ["Kan vi RYKKE moedet", "kan vi rykke mødet", "hejjj"]
    assert found["fingerprint"]
