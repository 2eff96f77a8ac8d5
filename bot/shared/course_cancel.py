"""Calling off the course in so many words ("sorry I want to cancel the course
after all", "vi vil gerne afmelde os holdet"), whatever else the message says:
measured on a blind set of whole conversations, "cancel the course" was read
as cancelling a young person's meeting, and a parent who had just enrolled
was asked for a pairing code. Standard library only: the Rasa server's NLU
(bot/rasa_server/explicit_requests.py) and the actions use it."""

from __future__ import annotations

import re

# A cancel verb, in Danish or English, as people write it.
_CANCEL = (
    r"(?:afmeld\w*|af\s*melde|frameld\w*|fra\s*melde|meld\w*\s+(?:mig|os|dem|hende|ham)\s+(?:\w+\s+){0,2}fra|"
    r"cancel\w*|annull?er\w*|"
    r"aflys\w*|unsubscribe|withdraw\w*|trække?\s+(?:min|vores|tilmeldingen)|trak\s+(?:min|vores))"
)
# The parents' course by a word no school uses (no "hold", no "class"): it is
# the course also over a question about one's education ("actually I changed
# my mind, please cancel my registration" was read as education_status, 0.46).
_PARENTS_COURSE = (
    r"kurs(?:us|et|uset)?|forældrekurs\w*|foraeldrekurs\w*|familie\s*med\s*hjerte|"
    r"tilmelding\w*|course|enrol+ment|registration"
)
_COURSE = rf"(?:{_PARENTS_COURSE}|kurser|holdet|hold|class(?:es)?|sign[- ]?up)"


def _called_off(course: str) -> re.Pattern[str]:
    """A cancel verb within six words of a course word, either side."""
    return re.compile(
        rf"\b{_CANCEL}\b(?:\W+\w+){{0,6}}?\W+{course}\b|\b{course}\b(?:\W+\w+){{0,6}}?\W+{_CANCEL}\b",
        re.IGNORECASE,
    )


_CANCELS_THE_COURSE = _called_off(_COURSE)
_CANCELS_THE_PARENTS_COURSE = _called_off(rf"(?:{_PARENTS_COURSE})")
# A young person's meeting is never the course.
_MEETING = re.compile(r"\b(?:møde\w*|moede\w*|meeting\w*|mentor\w*|aftale\w*|appointment\w*)", re.IGNORECASE)
_SAYS_CANCEL = re.compile(rf"\b{_CANCEL}\b", re.IGNORECASE)

# Intents calling off the course overrides; never a question about a service,
# never danger, never a request for a person, never a young person's
# education (a school's "hold" is theirs).
OVERRIDDEN = frozenset(
    {
        "cancel_meeting",
        "enroll_course",
        "check_enrollment",
        "ask_course_info",
        "inform",
        "deny",
        "affirm",
        "stop",
        "nlu_fallback",
        "out_of_scope",
    }
)


def cancels_the_course(text: str) -> bool:
    return bool(_CANCELS_THE_COURSE.search(text)) and not _MEETING.search(text)


def cancels_the_parents_course(text: str) -> bool:
    return bool(_CANCELS_THE_PARENTS_COURSE.search(text)) and not _MEETING.search(text)


# A question about one's education that calls off the parents' course in so many words is the course.
STATUS_OVERRIDDEN = frozenset({"education_status"})


def says_cancel(text: str) -> bool:
    """A cancel verb and no meeting: with an enrolment already in view
    ("kan vi afmelde den her igen"), the enrolment is what is called off."""
    return bool(_SAYS_CANCEL.search(text)) and not _MEETING.search(text)


# "kan du afmelde os igen?", "meld os fra": a family calling off its place
# (a young person calls off a meeting, "aflys mødet", never "os"). Right
# after enrolling, "hov, har lige snakket med Kristian, vi vil alligevel
# vente … kan du afmelde os igen?" was read as a held meeting (the talk with
# Kristian), and the parent was asked for a young person's code. Over the
# young people's meeting intents too, never with a meeting named.
_CALL_OFF_US = re.compile(
    r"\b(?:afmeld\w*|af\s*melde)\s+os\b|\bmeld\w*\s+os\s+(?:\w+\s+){0,2}?fra\b|\bunsubscribe\s+us\b|"
    # "Can you take us off this one?", "please remove us from the course"
    r"\b(?:take|get)\s+(?:us|me|our\s+names?|my\s+name)\s+off\b|\bremove\s+(?:us|me)\s+(?:from|off)\b",
    re.IGNORECASE,
)
US_OVERRIDDEN = OVERRIDDEN | {"log_meeting", "list_meetings", "book_meeting", "reschedule_meeting", "report_concern"}


def calls_off_our_place(text: str) -> bool:
    return bool(_CALL_OFF_US.search(text)) and not _MEETING.search(text)


# "så afmeld den her igen tak", what was just signed up for, with a partner's or
# the health visitor's word as the reason: read as a concern for a child (0.76,
# the relatives and "siger" of report_concern's examples). Over the parents'
# readings and a concern, never a young person's meeting (theirs is "den" too).
_CALL_OFF_THIS = re.compile(r"\b(?:afmeld\w*|af\s*melde)\s+(?:den|det)(?:\s+her)?\b", re.IGNORECASE)
THIS_OVERRIDDEN = (OVERRIDDEN - {"cancel_meeting"}) | {"report_concern"}


def calls_this_off(text: str) -> bool:
    return bool(_CALL_OFF_THIS.search(text)) and not _MEETING.search(text)
