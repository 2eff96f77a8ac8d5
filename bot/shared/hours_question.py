"""A question about when the municipality can be reached ("hvornår har I
åbent", "hvornår kan man ringe til jer", "åbningstider?"), in so many words:
measured on a blind set of whole conversations, one was read as nothing
(nlu_fallback, 0.45 against ask_opening_hours 0.37) and one as a request for a
person, and the parent was handed to staff for asking the hours. Read as
`ask_opening_hours`, answered for the service talked about, else the
municipality's contact (actions/services.py). Standard library only: the
Rasa server's NLU uses it (bot/rasa_server/explicit_requests.py)."""

from __future__ import annotations

import re

# Whom one reaches: the municipality, never oneself ("hvornår kan I ringe mig op" asks for a call).
_YOU = r"(?:jer|dig|kommunen|sundhedsplejen|rådgivningen|raadgivningen|nogen|en\s+medarbejder|jeres\s+\w+)"
_ASKS_WHEN_OPEN = re.compile(
    r"\b(?:hvornår|hvornaar|hvilke\s+tider|hvad\s+tid|hvornår\s+på\s+dagen)\b[^?.!]{0,40}?"
    rf"\b(?:(?:har|holder)\s+(?:i|I|de|kommunen)\s+(?:åbent|aabent|åben|aaben)|åbent|aabent|åbner|aabner|lukker|"
    rf"ringe\s+(?:til\s+)?{_YOU}|fat\s+i\s+{_YOU}|kontakte\s+{_YOU}|træffe\s+{_YOU}|traeffe\s+{_YOU})\b|"
    r"\b(?:åbningstid|aabningstid|åbningstider|aabningstider|telefontid|telefontider)\b|"
    r"\bopening\s+hours\b|\bwhen\s+(?:are\s+you|is\s+\w+)\s+open\b",
    re.IGNORECASE,
)
# Intents a question about the hours overrides; never a service question with
# its topic (faq), never danger, never a wish to enrol or a young person's request.
OVERRIDDEN = frozenset(
    {"nlu_fallback", "request_human", "ask_contact_details", "out_of_scope", "inform", "help", "greet", "thank"}
)


def asks_when_open(text: str) -> bool:
    return bool(_ASKS_WHEN_OPEN.search(text))
