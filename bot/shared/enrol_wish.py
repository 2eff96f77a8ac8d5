"""A wish to sign up for the course in so many words ("vi vil gerne melde os
til", "can we join", "want to sign up for the parent course"), whatever else
the message tells about the course: measured on a blind set of whole
conversations, "my wife and I are expecting our first baby and want to sign
up for the parent course Familie med Hjerte" was read as a question about
the course, and the parent got its description instead of the enrolment.
Standard library only: the Rasa server's NLU uses it
(bot/rasa_server/explicit_requests.py)."""

from __future__ import annotations

import re

from bot.shared.service_words import about_another_service, names_the_course

_WISH = (
    r"(?:vil|ville|gerne\s+vil|kan\s+(?:vi|jeg)|må\s+(?:vi|jeg)|maa\s+(?:vi|jeg)|skal\s+(?:vi|jeg)|skulle|"
    r"wants?\s+to|would\s+like\s+to|['’]d\s+like\s+to|wish\s+to|can\s+(?:we|i)|could\s+(?:we|i)|"
    r"(?:we|i)\s+(?:would|will)\s+like\s+to)"
)
_SIGN_UP = (
    r"(?:tilmelde\w*|tilmæld\w*|tilmeld|melde\s+(?:os|mig)\s+(?:til|på|paa)|skrive\s+(?:os|mig)\s+op|"
    r"komme\s+(?:med\s+)?(?:på|paa)\s+(?:det\s+|jeres\s+)?(?:kurset|holdet|forældre\s*kurs\w*|foraeldre\s*kurs\w*|kurs\w*)|"
    r"deltage\s+i\s+(?:kurset|forældrekurset|familie)|"
    # "vil gerne med på forældrekurset": joining, without the verb
    r"med\s+(?:på|paa)\s+(?:det\s+|jeres\s+)?(?:kurset|holdet|forældre\s*kurs\w*|foraeldre\s*kurs\w*|familie\s+med\s+hjerte)|"
    r"være\s+med\s+(?:i|på|paa)\s+(?:kurset|holdet|forløbet|forældrekurset|familie\s+med\s+hjerte)|"
    r"sign\s+(?:us\s+|me\s+)?up|enrol+|register|join\s+(?:the|your)\s+(?:course|class|group))"
)
_WANTS_TO_ENROL = re.compile(
    rf"\b{_WISH}\s+(?:(?:gerne|godt|also|really|meget|rigtig|rigtigt|så|saa)\s+){{0,2}}{_SIGN_UP}\b", re.IGNORECASE
)
# "... har hørt om familie med hjerte og vil gerne være med": joining, with the
# course named elsewhere in the message (without it, "min mand vil gerne være
# med" answers the partner question). Never joining something else named next.
_JOIN_IT = re.compile(
    rf"\b{_WISH}\s+(?:(?:gerne|godt|rigtig|rigtigt|meget|really)\s+){{0,2}}(?:være|vaere|komme)\s+med\b"
    r"(?!\s+(?:i|på|paa|til)\s+(?!(?:det|den|jer)\b))|"
    # "… fortalt mig om jeres kursus for nybagte forældre, og jeg vil meget gerne deltage"
    rf"\b{_WISH}\s+(?:(?:gerne|godt|rigtig|rigtigt|meget|really)\s+){{0,2}}deltage\b"
    r"(?!\s+(?:i|på|paa)\s+(?!(?:det|den|jeres|kurset|forløbet|forloebet)\b))|"
    # "… mentioned a course for new parents. Can we join?"
    r"\b(?:can|could|may)\s+(?:we|i)\s+(?:also\s+|still\s+)?(?:join|take\s+part|participate)\b"
    r"(?!\s+(?:a|an)\s+(?!course\b))",
    re.IGNORECASE,
)
_NOT_A_WISH = re.compile(
    r"\b(?:afmeld\w*|cancel\w*|aflys\w*|allerede\s+tilmeldt|already\s+(?:signed|enrolled|registered|joined))|"
    r"\b(?:take|get)\s+(?:us|me)\s+off\b",
    re.IGNORECASE,
)
# A question about the course, nothing understood, a look-up or a cancellation
# with no word of cancelling in it (_NOT_A_WISH keeps those): "Hi, we'd like to
# sign up for the Familie med Hjerte course. Sorry my Danish is not so good"
# and "Jeg vil gerne være med i Familie med Hjerte" were read as cancelling
# (0.54, 0.63), and the parents were asked for a code they could not have.
# And a service question: "kan vi komme paa det foraeldre kursus? vi har termin
# …" was read as one about day care once the classifier had more data. Never a
# young person's request, or danger.
OVERRIDDEN = frozenset(
    {
        "faq",
        "ask_course_info",
        "inform",
        "out_of_scope",
        "nlu_fallback",
        "greet",
        "help",
        "check_enrollment",
        "cancel_enrollment",
    }
)


# "tilmelding forældrekursus", "tilmelding til familie med hjerte tak": the
# noun and the course, as a short message of its own ("min tilmelding" is a look-up).
_SIGN_UP_NOUN = re.compile(
    r"^\W*(?:hej\W+)?(?:tilmelding|tilmelde|tilmeld|sign\s*up|registration)\W+(?:til\W+|for\W+|på\W+)?"
    r"(?:familie\s+med\s+hjerte|(?:foræ?ld\w*|foraeld\w*)?kurs\w*|the\s+course|parent\s+course)\b[\w\s,.!🙂😊]{0,20}$",
    re.IGNORECASE,
)


def wants_to_enrol(text: str) -> bool:
    """Signing up for another service ("må jeg melde mig til en
    barselsgruppe", "can we join a dads group") is no wish for the course."""
    said = text.strip()
    if _NOT_A_WISH.search(said) or about_another_service(said):
        return False
    if _JOIN_IT.search(said) and names_the_course(said):
        return True
    return bool(_WANTS_TO_ENROL.search(said) or _SIGN_UP_NOUN.match(said))


# A young person's meeting intents, which a wish for the course named in so
# many words also overrides when the message says nothing of a meeting: "hej
# undskyld det sene tidspunkt, kan ikke sove, vil gerne tilmelde mig familie
# med hjerte" was read as moving a meeting (0.64, "tidspunkt"), and the
# parent was asked for a young person's code; "hi, I want to sign up for
# familie med hjerte. our baby is already born" as a concern for a child
# (0.53). A young person signing up for an education ("vil gerne tilmelde mig
# hf") names no course and stays theirs; danger is decided after this.
NAMED_COURSE_OVERRIDDEN = frozenset(
    {"log_meeting", "list_meetings", "book_meeting", "reschedule_meeting", "cancel_meeting", "report_concern"}
)
_MEETING = re.compile(
    r"\b(?:møde\w*|moede\w*|mode[tr]?|meeting\w*|mentor\w*|kontaktperson\w*|sagsbehandler\w*|aftale\w*|"
    r"appointment\w*|samtale\w*)",
    re.IGNORECASE,
)


def wants_the_named_course(text: str) -> bool:
    return names_the_course(text) and wants_to_enrol(text) and not _MEETING.search(text)
