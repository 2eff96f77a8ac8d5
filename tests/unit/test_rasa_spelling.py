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
texts = ["Kan vi RYKKE moedet", "kan vi rykke mødet", "hejjj", "K6X-3JE kan du vise mine tider", "min kode er k6x 3je"]
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
    # A pairing code's pieces count as nothing: its random letters read as whatever they resembled.
    expected = [
        ["kan", "vi", "rykke", "modet"],
        ["kan", "vi", "rykke", "modet"],
        ["hejj"],
        ["", "kan", "du", "vise", "mine", "tider"],
        ["min", "kode", "er", "", ""],
    ]
    assert found["predicted"] == expected
    assert found["trained"] == expected
    assert found["texts"] == [
        "Kan vi RYKKE moedet",
        "kan vi rykke mødet",
        "hejjj",
        "K6X-3JE kan du vise mine tider",
        "min kode er k6x 3je",
    ]
    assert found["fingerprint"]


CORRECT = """
import json, sys, tempfile
from pathlib import Path
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from bot.rasa_server.spelling import SpellingFolder, TypoCorrector

tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
folder = SpellingFolder.create({}, None, None, None)
storage = LocalModelStorage(Path(tempfile.mkdtemp()))
resource = Resource("typo_corrector")
known = ["vi vil tilmelde os", "afmeld mødet", "afmeld kurset"]
trained = TrainingData([Message(data={TEXT: t, "intent": "x"}) for t in known])
tokenizer.process_training_data(trained)
folder.process_training_data(trained)
TypoCorrector.create({}, storage, resource, None).train(trained)
corrector = TypoCorrector.load({}, storage, resource, None)
texts = ["vi vil tilmedle os", "afmeld mødte", "afmled krusett", "Ali vil", "tilmelde 12345 mette@x.dk"]
predicted = [Message(data={TEXT: text}) for text in texts]
tokenizer.process(predicted)
folder.process(predicted)
corrector.process(predicted)
print(json.dumps({
    "lemmas": [[t.lemma for t in m.get(TOKENS_NAMES[TEXT])] for m in predicted],
    "texts": [m.get(TEXT) for m in predicted],
    "fingerprint": bool(TypoCorrector.fingerprint_addon({})),
}))
"""


def test_a_word_one_typo_from_a_trained_word_is_read_as_it_after_saving_and_loading() -> None:
    found, _ = in_rasa(CORRECT)
    assert found["lemmas"] == [
        ["vi", "vil", "tilmelde", "os"],
        ["afmeld", "modet"],
        ["afmeld", "krusett"],  # two typos: left as written
        ["ali", "vil"],  # short: left as written
        ["tilmelde", "12345", "mette@x.dk"],
    ]
    assert found["texts"][0] == "vi vil tilmedle os"  # the text itself never changes
    assert found["fingerprint"]
