"""A young person's wish about their meetings in so many words: to see them
("kan jeg se mine aftaler her", "vis mine møder") is `list_meetings`, and to
note down one that was held ("skal have skrevet et møde ind", "registrere et
møde") is `log_meeting`, over what the classifier guessed. Measured on the
blind conversations: a look at the meetings told with why the young person
came to the chat was read as booking a new one (0.89), and a meeting to note
down named without its day as giving the pairing code or as the list.
Standard library only: the Rasa server's NLU uses it
(bot/rasa_server/explicit_requests.py)."""

from __future__ import annotations

import re

_MEETINGS = r"(?:møder|moeder|moder|aftaler|tider|mødetider|moedetider|meetings|appointments)"
_SEE = re.compile(
    rf"\b(?:se|vise|vis|tjekke|tjek|kigge\s+på|kigge\s+paa|finde|få\s+vist|faa\s+vist|overblik\s+over|"
    rf"see|show|check)\s+(?:alle\s+)?(?:mine|my|all\s+my)\s+(?:kommende\s+|upcoming\s+)?{_MEETINGS}\b",
    re.IGNORECASE,
)
# Asking for, moving or cancelling one is no look at them.
_CHANGE = re.compile(
    r"\b(?:book\w*|bestil\w*|nyt\s+møde|ny\s+tid|et\s+møde|en\s+tid|aflys\w*|flyt\w*|ryk\w*|slet\w*|"
    r"cancel\w*|move|new\s+meeting|a\s+meeting)\b",
    re.IGNORECASE,
)
# "identify": the look asked for with the pairing code in the same message
# ("vis mine møder, koden er …"); the list pairs with the code first.
SEE_OVERRIDDEN = frozenset({"book_meeting", "nlu_fallback", "inform", "faq", "greet", "identify"})

_NOTE_DOWN = re.compile(
    r"\b(?:skrive|skriv|skrevet|føre|føres|ført|foere|registrere|registrer|registreret|notere|noter|noteret|"
    r"logge|logget)\s+(?:et|mit|vores|det|mødet|moedet)?\s*(?:afholdt\w*\s+)?"
    r"(?:møde|mødet|moede|moedet|samtale|samtalen)\b",
    re.IGNORECASE,
)
# "vil gerne skrive ind at jeg havde et møde med min mentor": the note, then the held meeting.
_NOTE_A_HELD = re.compile(
    r"\b(?:skrive|skriv|notere|noter|registrere|registrer|logge|log|føre|foere)\s+(?:\w+\s+){0,4}?"
    r"(?:havde|har\s+haft|haft|holdt|had)\s+(?:et\s+|en\s+|mit\s+|vores\s+|a\s+|my\s+)?(?:\w+\s+)?"
    r"(?:møde\w*|moede\w*|mode[t]?|samtale\w*|meeting)|"
    # "vil registrere at jeg saa Louise sidste fredag": the mentor seen, noted down
    r"\b(?:skrive\s+ind|skriv\s+ind|notere|noter|registrere|registrer|logge|log)\s+at\s+(?:jeg|vi)\s+"
    r"(?:så|saa|mødte|moedte|mødtes|moedtes|snakkede\s+med|talte\s+med|var\s+hos|var\s+til\s+\w+\s+(?:med|hos)|saw|met)\b",
    re.IGNORECASE,
)
# A meeting to come is asked for, not noted down.
_TO_COME = re.compile(r"\b(?:næste|naeste|i\s+morgen|imorgen|book\w*|snart|gerne\s+have\s+et)\b", re.IGNORECASE)
# And a guess at booking one: "jeg skal have ført et møde ind" was read as a
# request once the features counted word pairs (a meeting to come is excluded above).
NOTE_OVERRIDDEN = frozenset({"identify", "nlu_fallback", "list_meetings", "inform", "book_meeting"})


def wants_to_see_meetings(text: str) -> bool:
    """ "min mentor sagde at man kan se sine aftaler her" does not say "mine"; "kan jeg se mine møder" does."""
    return bool(_SEE.search(text)) and not _CHANGE.search(text)


def notes_a_held_meeting(text: str) -> bool:
    return bool(_NOTE_DOWN.search(text) or _NOTE_A_HELD.search(text)) and not _TO_COME.search(text)


# A new meeting asked for ("kan vi lave et nyt møde om to uger?", "I'd like
# another meeting"), read as moving one (0.73 on a blind set): a request, unless
# the message also moves, cancels or replaces one.
_NEW_MEETING = re.compile(
    r"\b(?:nyt|nye|ekstra|endnu\s+et|et\s+til)\s+(?:møde|moede|mode|møder|moeder)\b|"
    r"\b(?:møde|moede)\s+mere\b|\b(?:a\s+new|another|an\s+extra)\s+meeting\b",
    re.IGNORECASE,
)
_MOVE_OR_CANCEL = re.compile(
    r"\b(?:flyt\w*|ryk\w*|ændr\w*|aendr\w*|udskyd\w*|aflys\w*|erstat\w*|i\s+stedet|istedet|"
    r"move\w*|resched\w*|postpone\w*|cancel\w*|instead)\b",
    re.IGNORECASE,
)
NEW_OVERRIDDEN = frozenset({"reschedule_meeting"})


def asks_for_a_new_meeting(text: str) -> bool:
    return bool(_NEW_MEETING.search(text)) and not _MOVE_OR_CANCEL.search(text)


# One more asked for as a request, the meeting named anywhere in the message
# ("mødet m. min mentor, kan vi få et ekstra på mandag?"), read as noting down
# a held one (0.64 on a blind conversation): a request, over a guess at a held
# meeting, the list or moving one.
_ASKS_FOR_ONE_MORE = re.compile(
    r"\b(?:kan|ka|må|maa|could|can)\s+(?:vi|jeg|du|we|i)\s+(?:\w+\s+){0,2}?"
    r"(?:få|faa|tage|lave|booke|sætte|saette|have|get|book)\s+(?:et|en|one|an?)\s+(?:ekstra|til|mere|extra|more)\b",
    re.IGNORECASE,
)
_NAMES_THE_MEETING = re.compile(
    r"\b(?:møde\w*|moede\w*|mode[tr]?|mentor\w*|kontaktperson\w*|meeting\w*|samtale\w*)", re.IGNORECASE
)
ONE_MORE_OVERRIDDEN = frozenset({"reschedule_meeting", "log_meeting", "list_meetings", "nlu_fallback"})


def asks_for_one_more(text: str) -> bool:
    return (
        bool(_ASKS_FOR_ONE_MORE.search(text))
        and bool(_NAMES_THE_MEETING.search(text))
        and not _MOVE_OR_CANCEL.search(text)
    )


# A meeting called off in so many words ("kan ikk nå mødet d. 15, kan vi bare
# droppe det", "aflys mødet", "jeg melder afbud til mødet"), read as nothing
# (moving 0.50 next to cancelling 0.47 on a blind conversation) or as moving
# it: cancelling, unless the message also asks for another time.
_MEETING = (
    r"(?:møde\w*|moede\w*|mode[tr]?|aftale\w*|meeting\w*|appointment\w*|samtale\w*|"
    r"mentor\s*ting\w*|mentor\s+thing|mentortid)"  # "the mentor thing"
)
_CALL_OFF = re.compile(
    r"\b(?:aflys\w*|drop(?:pe|per)?|afbud|afbestil\w*|annuller\w*|cancel\w*|call\s+off|skip\w*)\b",
    re.IGNORECASE,
)
_CANNOT_COME = re.compile(
    r"\b(?:(?:kan|ka)\s*(?:ikke|ikk|ik|ike|sgu\s+ikke)\s+(?:\w+\s+)?(?:nå|naa|na|komme|deltage|møde\s+op|moede\s+op)|"
    r"(?:can['’]?t|cannot|won['’]?t)\s+(?:make|come|attend))\b"
    rf"(?:\W+\w+){{0,4}}?\W+{_MEETING}\b",
    re.IGNORECASE,
)
_NAMES_A_MEETING = re.compile(rf"\b{_MEETING}\b", re.IGNORECASE)
_ANOTHER_TIME = re.compile(
    r"\b(?:flyt\w*|ryk\w*|ændr\w*|aendr\w*|udskyd\w*|i\s+stedet|istedet|en\s+anden\s+(?:dag|tid|gang)|"
    r"ny\s+tid|nyt\s+tidspunkt|senere|til\s+(?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|i\s+morgen)|"
    r"move\w*|resched\w*|postpone\w*|another\s+(?:day|time)|instead)\b",
    re.IGNORECASE,
)
# A parent's appointment ("vi kan ikke nå mødet med sundhedsplejersken") is no
# young person's meeting.
_PARENTS_SIDE = re.compile(
    r"\b(?:sundhedsplej\w*|jordemo\w*|læge\w*|laege\w*|kurs\w*|holdet|kursusgang\w*|familie\s+med\s+hjerte)",
    re.IGNORECASE,
)
# A question about meetings called off ("hvilke af mine møder blev aflyst") is a look at them.
_ASKS_ABOUT = re.compile(
    r"\b(?:hvilke|hvilket|which)\b|\b(?:blev|er|var|bliver|been|was|were)\s+(?:\w+\s+)?(?:aflyst|cancell?ed)\b|\b(?:aflyst|cancell?ed)\s*\?",
    re.IGNORECASE,
)
# Never "stop": inside a form, "drop det" leaves the form.
CALL_OFF_OVERRIDDEN = frozenset({"nlu_fallback", "reschedule_meeting", "inform"})


def calls_off_a_meeting(text: str) -> bool:
    said = text.strip()
    if _ANOTHER_TIME.search(said) or _PARENTS_SIDE.search(said) or _ASKS_ABOUT.search(said):
        return False
    return bool(_CANNOT_COME.search(said)) or bool(_CALL_OFF.search(said) and _NAMES_A_MEETING.search(said))


# A meeting whose time does not suit, with another asked for: "møde mandag kl 9 er for
# tidlig for mig. kan vi tage kl 11 samme dag" was read as asking for a new meeting (0.83),
# and a second meeting was requested while the first stayed.
_DOES_NOT_SUIT = re.compile(
    r"\b(?:for\s+(?:tidlig|tidligt|sent|sen)|passer\s+(?:ikke|ik|ikk|mig\s+ikke|dårligt|daarligt)|"
    r"kan\s+(?:ikke|ik|ikk)\s+(?:nå|naa|komme)\b|too\s+(?:early|late)|does\s*n['’]?t\s+work|does\s+not\s+work|"
    r"har\s+(?:tandlæge\w*|tandlaege\w*|læge\w*|laege\w*|arbejde|skole|eksamen)\b)",
    re.IGNORECASE,
)
_ANOTHER_TIME_ASKED = re.compile(
    r"\b(?:kan\s+vi\s+(?:ikke\s+)?(?:tage|ta|gøre|goere|lave|holde)\s+det|kan\s+vi\s+(?:ikke\s+)?(?:tage|ta)\s+kl|"
    r"kan\s+(?:det|den|mødet|moedet|tingen|\w+\s+tingen)\s+(?:ikke\s+)?(?:blive|være|vaere)|i\s+stedet|istedet|"
    r"samme\s+dag|senere|tidligere|instead|later|earlier|same\s+day)\b",
    re.IGNORECASE,
)
MOVE_OVERRIDDEN = frozenset({"book_meeting", "nlu_fallback", "inform", "log_meeting"})


def moves_a_meeting_that_does_not_suit(text: str) -> bool:
    """The meeting's time does not suit and another is asked for; never a new one asked for in so many words."""
    return (
        bool(_DOES_NOT_SUIT.search(text))
        and bool(_ANOTHER_TIME_ASKED.search(text))
        and bool(_NAMES_THE_MEETING.search(text))
        and not _NEW_MEETING.search(text)
    )
