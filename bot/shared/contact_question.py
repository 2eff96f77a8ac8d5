"""A question about where to call or write, in so many words ("hvor ringer man
hen for at høre mere", "hvor kan jeg ringe", "who do I call about it"):
measured on a blind set of whole conversations, "ok hvor ringer man hen for at
høre mere" after a service answer was read as nothing (nlu_fallback 0.45
against ask_read_more 0.43), and the parent was told "Det forstod jeg ikke
helt". Read as `ask_contact_details`, answered for the service talked about,
else the municipality's contact (actions/services.py). Standard library only:
the Rasa server's NLU uses it (bot/rasa_server/explicit_requests.py)."""

from __future__ import annotations

import re

_ASKS_WHERE_TO_CALL = re.compile(
    r"\b(?:hvor|hvem|hvad)\s+(?:ringer|skriver|henvender)\s+(?:man|jeg|vi)\b|"
    r"\bhvor\s+(?:kan|skal)\s+(?:man|jeg|vi)\s+(?:ringe|skrive|henvende\s+(?:mig|os|sig))\b|"
    r"\bhvem\s+(?:kan|skal)\s+(?:man|jeg|vi)\s+(?:ringe|skrive)\s+til\b|"
    r"\b(?:where|who)\s+(?:do|can|should)\s+(?:i|we)\s+(?:call|phone|ring|write\s+to|contact)\b",
    re.IGNORECASE,
)
# Only over nothing understood or a guess at no intent of its own: never a
# service question with its topic, a request for a person, or danger.
OVERRIDDEN = frozenset({"nlu_fallback", "out_of_scope", "inform", "ask_location", "ask_read_more"})


def asks_where_to_call(text: str) -> bool:
    return bool(_ASKS_WHERE_TO_CALL.search(text))
