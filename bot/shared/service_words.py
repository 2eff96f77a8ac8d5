"""A support service named by its own word ("vuggestue", "daycare",
"mødregruppe", "tandlæge"): the question is about that service. Measured on
the blind conversations: a question about parents' groups "after the
course" was read as a question about the course (ask_course_info at 0.6-1.0,
while the ResponseSelector was sure of the network topic; the contract puts
"groups after the course" under faq/foraeldrenetvaerk), a question about
signing a child up for a place in day care started the enrolment in the
course (the sign-up words were read as a wish for it), and an English
question about applying for day care got the municipality's general contact
details.

Used by the Rasa server's NLU (bot/rasa_server/explicit_requests.py: such a
question read as one about the course is `faq`, when the ResponseSelector's
pick is the service named), by the wish to sign up (bot/shared/enrol_wish.py:
signing up for another service is no wish for the course) and by the
service answers (actions/services.py: the general contact topic gives way to
the one service a question names). Standard library only."""

from __future__ import annotations

import re

# Each topic's own words, as parents write them (with and without æ/ø/å, in
# English). Only words that belong to one service: "sundhedsplejersken" also
# comes to the course, so a question naming both stays the course's.
_TOPIC_WORDS = {
    "dagtilbud": (
        r"vuggestue\w*|dagpleje\w*|b(?:ø|oe|o)rnehave\w*|dagtilbud\w*|pasningsgaranti\w*|pladsanvisning\w*|"
        r"integreret\s+institution\w*|pasning\w*|daycare|day\s*care|nursery|kindergarten|child\s*care|childcare"
    ),
    "foraeldrenetvaerk": (
        r"(?:m(?:ø|oe|o)dre|f(?:æ|ae|a)dre|for(?:æ|ae|a)ldre|barsels|fars?|mor)\s*-?\s*grupp\w*|"
        r"for(?:æ|ae|a)ldre\s*-?\s*netv(?:æ|ae|a)rk\w*|barselscaf(?:e|é)\w*|"
        r"(?:mothers?|mums?|moms?|dads?|fathers?|parents?)['’]?s?\s+groups?|"
        # "groups for parents to meet up", "grupper for nye forældre"
        r"\bgroups?\s+for\s+(?:new\s+)?(?:parents|mums|moms|dads|mothers|fathers)\b|"
        r"\bgrupp\w*\s+for\s+(?:nye\s+)?(?:for(?:æ|ae|a)ldre|m(?:ø|oe|o)dre|f(?:æ|ae|a)dre)\b"
    ),
    "tandpleje": r"tandpleje\w*|tandl(?:æ|ae|a)ge\w*|tandklinik\w*|dentist\w*|dental",
    "efterfoedselsreaktion": (
        r"(?:efter)?f(?:ø|oe|o)dselsdepression\w*|efterf(?:ø|oe|o)dselsreaktion\w*|"
        r"postpartum|postnatal\w*|fødselsreaktion\w*"
    ),
    # A couple's quarrels and break-ups are the family counselling's ("vi skændes hele tiden efter fødslen").
    "familieraadgivning": (
        r"familier(?:å|aa|a)dgivning\w*|parr(?:å|aa|a)dgivning\w*|family\s+counsel\w*|"
        r"sk(?:æ|ae|a)nd(?:es|tes|eri\w*)|skilsmisse\w*|g(?:å|aa)r\s+fra\s+hinanden|gik\s+fra\s+hinanden"
    ),
    "underretning": r"underretning\w*|underrette\w*",
    "fritidsjob": r"fritidsjob\w*|lommepengejob\w*",
    "efterværn": r"efterv(?:æ|ae|a)rn\w*|aftercare",
    "ungeindsats": r"ungeindsats\w*|ungdommens\s+uddannelsesvejledning\w*",
}
_NAMES = {topic: re.compile(rf"\b(?:{words})", re.IGNORECASE) for topic, words in _TOPIC_WORDS.items()}
_COURSE = re.compile(
    r"\b(?:kurs\w*|for(?:æ|ae|a)ldrekurs\w*|forl(?:ø|oe|o)b\w*|holdet|familie\s*med\s*hjerte|fmh|course|class)\b",
    re.IGNORECASE,
)
# The time after the course: "efter kurset", "når forløbet er slut", "after the course".
_AFTER_THE_COURSE = re.compile(
    r"\b(?:efter|bagefter|after)\s+(?:\w+\s+){0,2}?(?:kurs\w*|forl(?:ø|oe|o)b\w*|holdet|familie\s*med\s*hjerte|"
    r"the\s+course|sidste\s+gang)|"
    r"\b(?:kurs\w*|forl(?:ø|oe|o)b\w*|holdet|course)\s+(?:\w+\s+){0,2}?(?:er\s+|is\s+)?"
    r"(?:slut\w*|stopper|færdig\w*|faerdig\w*|ovre|over|ends?|finished)\b",
    re.IGNORECASE,
)
# Intents a question naming a service overrides when the ResponseSelector
# picked that service too: the course's own (its words are near every
# service's) and nothing understood; never danger, a person, a young person's.
OVERRIDDEN = frozenset({"ask_course_info", "enroll_course", "nlu_fallback", "out_of_scope", "inform", "help"})
# Read as the course or a wish to join it, a message that names one other
# service and not the course ("må vi skrive hende op til børnehave") is about
# that service even when the ResponseSelector guessed another: the answer
# then goes by the word (actions/services.py, under SURE_TOPIC).
COURSE_READINGS = frozenset({"ask_course_info", "enroll_course"})
# Worry said in so many words: a concern for a child, whatever service the message names.
WORRY = re.compile(
    r"\b(?:bekymr\w*|worr\w*|concern\w*|mistriv\w*|omsorgssvigt\w*|vanr(?:ø|oe|o)gt\w*|underretning\w*|"
    r"sl(?:å|aa|a)+r|slog|sl(?:å|aa|a)et|vold\w*|alene|sulten|sultne|beskidt\w*|skrig\w*|r(?:å|aa|a)b\w*|drikker|fuld|"
    r"stive|misbrug\w*|hits?|hitting|neglect\w*|abuse\w*|alone|hungry|dirty|scared|bange|ked\s+af\s+det|"
    r"bl(?:å|aa|a)\s+m(?:æ|ae|a)rker|m(?:æ|ae|a)rker)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"\?|^\W*(?:hvad|hvem|hvor|hvordan|hvornår|hvorfor|is|are|does|do|can|how|what|when|where)\b", re.I
)
# A question about the one service it names, read as a concern only for the child in it
# ("Is the dentist still free for my daughter? She is 19"): no worry said, the service's.
CONCERN_READING = "report_concern"


def a_service_question_read_as_a_concern(text: str, selected_topic: str | None, predicted: str | None) -> bool:
    named = named_topics(text)
    return (
        predicted == CONCERN_READING
        and len(named) == 1
        and "underretning" not in named
        and selected_topic in named
        and bool(_QUESTION.search(text))
        and not WORRY.search(text)
    )


def named_topics(text: str) -> set[str]:
    """The services the message names by their own words."""
    return {topic for topic, words in _NAMES.items() if words.search(text)}


def names_the_course(text: str) -> bool:
    return bool(_COURSE.search(text))


def after_the_course(text: str) -> bool:
    return bool(_AFTER_THE_COURSE.search(text))


def about_another_service(text: str) -> bool:
    """Names a service, and the course only as the time after it (or not at all)."""
    return bool(named_topics(text)) and (not names_the_course(text) or after_the_course(text))


def asks_about_the_named_service(text: str, selected_topic: str | None, predicted: str | None = None) -> bool:
    """A question about the service it names, which is also the one the
    ResponseSelector picked: both readings agree, whatever the intent
    classifier made of the words around them; or, read as the course, a
    message that names one other service and not the course."""
    if not about_another_service(text):
        return False
    if predicted in COURSE_READINGS and len(named_topics(text)) == 1:
        return True
    return selected_topic is not None and selected_topic in named_topics(text)


def only_named_topic(text: str) -> str | None:
    """The one service the message names, if exactly one."""
    topics = named_topics(text)
    return next(iter(topics)) if len(topics) == 1 else None
