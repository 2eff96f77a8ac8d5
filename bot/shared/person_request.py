"""A request for a person in so many words ("kan jeg ikke bare snakke med et
menneske", "kan en medarbejder ringe mig op", "talk to a real person"),
whatever else the message says: measured on a blind set of whole
conversations, "nej det var slet ikke det jeg spurgte om. kan jeg ikke bare
snakke med et menneske" was read as a no (`deny`), and the parent was told
"Helt i orden" with no one on the way. Standard library only: the Rasa
server's NLU uses it (bot/rasa_server/person_request.py)."""

from __future__ import annotations

import re

_PERSON = (
    r"(?:et\s+|en\s+)?(?:rigtigt?\s+|levende\s+|ægte\s+|aegte\s+)?"
    r"(?:menneske|medarbejder|person|voksen|sagsbehandler|rådgiver|raadgiver|sundhedsplejerske|"
    r"socialrådgiver|socialraadgiver|nogen|ansat)"
)
_ASKS_FOR_A_PERSON = re.compile(
    rf"\b(?:snakke|tale|skrive|chatte|snak|tal)\s+med\s+{_PERSON}\b|"
    rf"\b(?:give|giv|gi|sende|send|stille|stil)\s+(?:mig|os)\s+(?:videre\s+)?(?:til|over\s+til)\s+{_PERSON}\b|"
    r"\b(?:en\s+)?(?:medarbejder|sagsbehandler|rådgiver|raadgiver|nogen|person)\s+(?:kan\s+|må\s+|skal\s+)?"
    r"(?:ikke\s+)?(?:ringe|kontakte)\s+(?:mig|os)(?:\s+op)?\b|"
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+)?(?:real\s+)?(?:human|person|someone|staff)\b|"
    r"\b(?:real|actual)\s+(?:human|person)\b|"
    rf"\b(?:vil|ville|kan|må)\s+(?:jeg\s+|vi\s+)?(?:gerne\s+|godt\s+|ikke\s+)?(?:ha|have|få|faa)\s+{_PERSON}\b",
    re.IGNORECASE,
)
# Intents a request for a person overrides; never a question about a service,
# opening hours or contact details, never danger, never "are you a person?"
# (bot_challenge, answered with the offer of one).
OVERRIDDEN = frozenset(
    {"deny", "affirm", "nlu_fallback", "out_of_scope", "inform", "help", "goodbye", "thank", "greet"}
)


def asks_for_a_person(text: str) -> bool:
    return bool(_ASKS_FOR_A_PERSON.search(text))
