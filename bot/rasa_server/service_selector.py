"""Which support service a `faq` question is about: Rasa's ResponseSelector,
asked only when its answer can be used. Its network was a third of the NLU
pipeline's CPU per message (3.1 of 9.1 ms, measured 2026-12-07), spent on
every "ja", meeting and e-mail address alike. Its pick is read when the
message is `faq` (actions/services.py), when NLU fell back with `faq` on top
(actions/fallback.py), and when the message names a service by its own
word (bot/rasa_server/explicit_requests.py): so it runs when the intent
classifier gives `faq` any real share, or the text names a service, and
otherwise the message carries the retrieval intents and no pick."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RETRIEVAL_INTENTS
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.shared.service_words import named_topics

# Far under every threshold that reads the pick (the FallbackClassifier's 0.45):
# a message whose `faq` share is smaller cannot end as a service question.
SOME_SHARE = 0.01


def may_use_the_pick(message: Message, retrieval_intent: str) -> bool:
    ranking = message.get("intent_ranking") or []
    share = next((float(r.get("confidence") or 0) for r in ranking if r.get("name") == retrieval_intent), 0.0)
    return share >= SOME_SHARE or bool(named_topics(str(message.get(TEXT) or "")))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ServiceSelector(ResponseSelector):
    """ResponseSelector that skips the messages whose pick nobody reads."""

    def process(self, messages: list[Message]) -> list[Message]:
        wanted = []
        for message in messages:
            if may_use_the_pick(message, self.retrieval_intent or ""):
                wanted.append(message)
                continue
            selected = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
            selected[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.all_retrieval_intents
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selected, add_to_output=True)
        if wanted:
            super().process(wanted)
        return messages
