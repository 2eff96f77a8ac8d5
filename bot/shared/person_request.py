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
    r"socialrådgiver|socialraadgiver|nogen|ansat|"
    # "jeg vil gerne snakke med en fra kommunen om det"
    r"(?:en|én|nogen)\s+(?:fra|i|hos)\s+(?:kommunen|jer|\w+\s+kommune|forvaltningen|familieafdelingen))"
)
# Asked for with a verb: "kan jeg tale med et menneske", "giv mig videre til en
# medarbejder", "talk to a real person", "vil gerne ha et menneske".
_WITH_A_VERB = (
    rf"\b(?:snakke|tale|skrive|chatte|snak|tal|drøfte|droefte|diskutere)\s+(?:\w+\s+){{0,3}}?(?:med|m\.?)\s+{_PERSON}\b|"
    rf"\b(?:give|giv|gi|sende|send|stille|stil)\s+(?:mig|os)\s+(?:videre\s+)?(?:til|over\s+til)\s+{_PERSON}\b|"
    r"\b(?:en\s+)?(?:medarbejder|sagsbehandler|rådgiver|raadgiver|nogen|person)\s+(?:kan\s+|må\s+|skal\s+)?"
    r"(?:ikke\s+)?(?:ringe|kontakte)\s+(?:mig|os)(?:\s+op)?\b|"
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+)?(?:real\s+)?(?:human|person|someone|staff)\b|"
    rf"\b(?:vil|ville|kan|må)\s+(?:jeg\s+|vi\s+)?(?:gerne\s+|godt\s+|ikke\s+|bare\s+|lige\s+){{0,2}}(?:ha|have|få|faa)\s+"
    rf"(?:fat\s+i\s+)?(?:min\s+|mit\s+|vores\s+)?{_PERSON}\b"
)
_ASKS_FOR_A_PERSON = re.compile(rf"{_WITH_A_VERB}|\b(?:real|actual)\s+(?:human|person)\b", re.IGNORECASE)
# Not the bot, a person: a request with a verb ("er du en bot? vil hellere
# snakke med min sagsbehandler"), never "are you a real person?".
_PAST_THE_BOT = re.compile(_WITH_A_VERB, re.IGNORECASE)
# One's own caseworker wished for: "vil hellere snakke med min sagsbehandler".
_OWN_PERSON = re.compile(
    r"\b(?:vil|ville|hellere|gerne|kan\s+jeg|må\s+jeg|kan\s+vi|må\s+vi)\s+(?:\w+\s+){0,2}?"
    r"(?:snakke|tale|skrive|chatte)\s+med\s+(?:min|mit|vores)\s+"
    r"(?:sagsbehandler|rådgiver|raadgiver|socialrådgiver|socialraadgiver|kontaktperson)\b",
    re.IGNORECASE,
)
# Someone from the municipality asked to call: "kan nogen fra kommunen ringe til
# mig", "can someone from the kommune call me", "please call me back". The
# persons are the municipality's own, never a service's ("kan sundhedsplejersken
# ringe mig op" stays a question about the health visitors).
_CALL_ME = re.compile(
    r"\b(?:nogen|en\s+medarbejder|medarbejder\w*|sagsbehandler\w*|rådgiver\w*|raadgiver\w*|en\s+person|"
    r"et\s+menneske)\s+(?:fra\s+(?:kommunen|jer|\w+\s+kommune)\s+)?(?:kan\s+|må\s+|skal\s+|vil\s+)?"
    r"(?:ikke\s+)?(?:godt\s+)?(?:ringe|kontakte)\s+(?:til\s+)?(?:mig|os)\b|"
    r"\b(?:kan|vil|må)\s+i\s+(?:ikke\s+|godt\s+)?(?:ringe|kontakte)\s+(?:til\s+)?(?:mig|os)\b|"
    # "jeg vil gerne bede om at blive ringet op af en sagsbehandler"
    r"\bblive\s+(?:ringet\s+op|ringet\s+til|kontaktet)\b|"
    r"\b(?:someone|somebody|anyone|a\s+person|a\s+human|a\s+staff\s+member|an\s+employee|a\s+caseworker|"
    r"a\s+social\s+worker)\s+(?:from\s+(?:the\s+)?\w+\s+)?(?:to\s+)?(?:call|phone|ring|contact)\s+(?:me|us)\b|"
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:call|phone|ring)\s+me\b|\bcall\s+me\s+back\b|"
    # "kan jeg ikke bare få min sagsbehandler i telefonen"
    rf"\b(?:få|faa|have|ha|snakke\s+med|tale\s+med)\s+(?:fat\s+i\s+)?(?:min\s+|mit\s+|vores\s+)?{_PERSON}\s+"
    r"(?:i\s+telefonen|i\s+røret|i\s+roeret|på\s+telefonen|paa\s+telefonen)\b",
    re.IGNORECASE,
)
# Someone asked to come and look, with a concern for a child: "kan der komme
# nogen fra kommunen og kigge på det?", "kan I sende nogen ud", "can someone
# from the municipality look into it".
_SOMEONE_TO_LOOK = re.compile(
    r"\b(?:kan|vil|må|ka)\s+(?:der\s+)?(?:ikke\s+)?(?:komme\s+)?(?:nogen|en\s+medarbejder|en\s+person|i)\s+"
    r"(?:fra\s+(?:kommunen|jer|\w+\s+kommune)\s+)?(?:komme\s+(?:ud\s+)?|sende\s+nogen\s+(?:ud\s+)?)?(?:og\s+)?"
    r"(?:kigge|se|tjekke|undersøge|undersoege|følge\s+op|tage\s+sig\s+af)\s+(?:på|paa|nærmere|op\s+på)?\s*(?:det|sagen|ham|hende|dem)\b|"
    r"\b(?:kan|vil)\s+i\s+(?:ikke\s+)?sende\s+nogen\b|"
    r"\b(?:someone|somebody|anyone|a\s+person)\s+(?:from\s+(?:the\s+)?\w+\s+)?(?:to\s+|should\s+|can\s+|could\s+|must\s+|"
    r"needs?\s+to\s+|will\s+|please\s+)?(?:come\s+(?:and\s+)?)?(?:look|check)\s+(?:into|at|on)\s+(?:it|this|them|him|her|the\s+\w+)\b",
    re.IGNORECASE,
)
# A concern for a child that asks for a person in so many words is handed to
# staff as a concern (actions/handover.py reads the concern in the ranking).
CONCERN_OVERRIDDEN = frozenset({"report_concern"})
# Intents a request for a person overrides; never a question about a service,
# opening hours or contact details, never danger, never "are you a person?"
# (bot_challenge, answered with the offer of one).
OVERRIDDEN = frozenset(
    {"deny", "affirm", "nlu_fallback", "out_of_scope", "inform", "help", "goodbye", "thank", "greet"}
)
# A call asked for is a person asked for over a question about contact details
# or opening hours too ("Can someone from the kommune call me? my number is …"
# was read as asking for the municipality's contact details) and over the
# question whether this is a bot; never over danger.
CALL_OVERRIDDEN = OVERRIDDEN | {"faq", "ask_contact_details", "ask_opening_hours", "bot_challenge"}
# A bot challenge that also asks for a person in so many words is the request.
CHALLENGE_OVERRIDDEN = frozenset({"bot_challenge"})


def asks_for_a_person(text: str) -> bool:
    return bool(_ASKS_FOR_A_PERSON.search(text) or _OWN_PERSON.search(text))


def asks_to_be_called(text: str) -> bool:
    return bool(_CALL_ME.search(text))


def asks_past_the_bot(text: str) -> bool:
    """A person asked for with a verb, not asked about ("are you a real person?")."""
    return bool(_PAST_THE_BOT.search(text) or _OWN_PERSON.search(text))


# Someone of the municipality's own asked for with a verb ("jeg vil gerne snakke med en fra
# kommunen om det"): a person, also over a question about contact details (a service's own
# people, "tale med en sundhedsplejerske", stay a question about the service).
_SOMEONE_FROM_HERE = re.compile(
    r"\b(?:(?:snakke|tale|skrive|chatte|snak|tal)\s+med|(?:få|faa|ha|have)(?:\s+fat\s+i)?)\s+(?:en|én|nogen)\s+"
    r"(?:fra|i|hos)\s+(?:kommunen|jer|\w+\s+kommune|forvaltningen|familieafdelingen)\b|"
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:someone|somebody|a\s+person)\s+(?:from|at)\s+(?:the\s+)?"
    r"(?:kommune|municipality|council)\b",
    re.IGNORECASE,
)


def asks_for_someone_from_here(text: str) -> bool:
    return bool(_SOMEONE_FROM_HERE.search(text))


def asks_someone_to_look(text: str) -> bool:
    """Someone asked to come and look ("please somebody from kommune should check on her")."""
    return bool(_SOMEONE_TO_LOOK.search(text))


def asks_for_someone_about_it(text: str) -> bool:
    """A person asked for, a call asked for, or someone asked to come and look."""
    return asks_for_a_person(text) or asks_to_be_called(text) or bool(_SOMEONE_TO_LOOK.search(text))
