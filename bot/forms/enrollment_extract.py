"""Everything one message gives the enrollment form, whatever was asked.

Parents answer like people: "Maja Nielsen, termin 3. april, min kæreste Jonas
kommer med, maja@x.dk" answers five questions at once, and "nej, det er 4.
april" at the summary corrects one. `read_enrollment` finds, in any order:
the parent's name, whether the child is born and the due or birth date,
whether it is the first child (or an older child is mentioned), whether a partner comes along (and the
partner's name), an e-mail and a Danish phone number, and whether the
message reads as a correction.

It only reads what is written: no value is guessed. A question ("kommer min
kæreste også med?") answers nothing, so clauses that end in "?" are left out.
What to do with the reading (fill, correct, ignore) is the form's decision
(actions/enrollment_extraction.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from bot.dates import birth_date_from_age, due_date_from_pregnancy_week, find_date, parse_danish_date
from bot.dates.english import english_dates
from bot.dates.words import MONTH_NAMES, MONTHS, WEEKDAYS, Direction, alternatives, normalise
from bot.forms.children import first_child as first_child_of
from bot.forms.people import name_from, own_name, own_surname, partner
from bot.shared.corrections import after_correction
from bot.validation import find_danish_phone, find_email

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+45|0045)?[\s-]*\d{2}(?:[\s.-]*\d{2}){3}(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<![\d.])\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?(?![\d])")
# A full stop after a word ends a clause, not after "d." or "ca.".
_CLAUSES = re.compile(r"[,;\n]+|(?<=[!?])\s+|(?<=[a-zæøå)]{3})\.\s+", re.IGNORECASE)

# Spellings people type: no æ/ø/å (normalise() mends "foedt", "kaereste"),
# and a few frequent slips.
_QUESTION_START = re.compile(
    r"(?:hvad|hvordan|hvornår|hvor|hvem|hvorfor|hvilke|hvilken|gælder|"
    r"(?:kan|må|skal|får|behøver)\s+(?:jeg|vi|man|min|mit|vores|han|hun|de|far|mor|partneren|kæresten)|"
    r"er\s+det|kommer\s+(?:min|vores|han|hun|far|mor))\b"
)
_EXPECTING = re.compile(
    r"\b(?:termin\w*|termim|tremin|terim|forventet|forventer|venter|gravid\w*|uger?\s+henne|måneder\s+henne|"
    r"ikke\s+født|ikke\s+kommet|i\s+maven|på\s+vej|expecting|pregnant|"
    # "due" only as English says it: Due is also a Danish surname ("Camilla Due").
    r"due\s+(?:date|on|in|around|at|early|late|next|this|[0-9])|(?:is|are|were|we're|we\s+are|i'm|im|i\s+am|she's)\s+due)\b"
)
_BORN = re.compile(
    r"\b(?:(?:blev|er|var|bleve)\s+født|født|fødte|fodt|føtd|kom\s+til\s+verden|"
    r"har\s+(?:lige\s+|netop\s+|endelig\s+|nu\s+)?(?:fået|faaet)|"
    r"fik\s+(?:lige\s+|netop\s+)?(?:en|et|vores)\s+(?:lille\s+)?(?:dreng|pige|søn|datter|baby|barn)|"
    # "vores lille pige kom i går", "han kom d. 3. marts": arrived, a day named
    r"(?:pige|pigen|dreng|drengen|søn|sønnen|datter|datteren|baby|babyen|barn|barnet|lille|lillen|han|hun)\s+"
    r"(?:kom|ankom|landede)\s+(?=i\s+går|i\s+gar|i\s+nat|i\s+morges|i\s+forgårs|i\s+\w+dags|d\.?\s*\d|den\s+\d|\d)|"
    # "vi fik vores første d. 17 januar", "har fået vores første"
    r"(?:fik|fået|faaet)\s+(?:vores|min|mit)\s+(?:allerførste|første|foerste|1\.?)(?:\s+barn|\s+baby)?\b(?!\s+gang)|"
    r"(?:was|is|got)\s+born|born\s+(?:on\s+)?\d|baby\s+born|gave\s+birth|"
    # "we had our baby boy on 2 February"
    r"(?:we|i)\s+(?:just\s+)?had\s+(?:our|a|the|my)\s+(?:little\s+|baby\s+)?(?:baby|son|daughter|boy|girl|child|twins)|"
    r"er\s+\d{1,2}\s*(?:uger?|måneder?|mdr\.?|md\.?)(?!\s+henne)(?:\s+gammel)?)\b"
)
# "min kærestes navn er …", "min mand hedder …": the name in the message is the partner's.
_PARTNERS_NAME = re.compile(
    r"\b(?:k(?:j)?æ?a?e?r(?:e)?ste|mand|kone|partner|sambo|samlever|medforælder)(?:s|ens|ns)\s+navn\b"
)
_NOT_BORN = re.compile(r"\bikke\s+(?:født|fodt|kommet)\b|\bendnu\s+ikke\s+født\b")
_CORRECTION = re.compile(
    r"\b(?:nej|næh|ikke|ret|rette|retter|rettelse|ændr\w*|skal\s+være|skulle\s+være|mente|forkert|fejl|"
    r"undskyld|sorry|faktisk|hov|ups|oops|det\s+er|det\s+var|ny|nyt|nye|staves|stavet|skrives|spelled|spelt)\b"
)
# Consent in so many words ("I må gerne gemme oplysningerne", "I consent"):
# never a bare "ja", which answers whatever was asked.
_CONSENT = re.compile(
    r"\b(?:i|du|kommunen|sundhedsplejen)\s+må\s+(?:gerne\s+|godt\s+)?(?:gemme|opbevare|registrere)\b|"
    r"\b(?:giver|give|gi)\s+(?:mit\s+|vores\s+|jer\s+)?samtykke\b|\bok\s+at\s+(?:i|du)\s+gemmer\b|"
    r"\byou\s+(?:can|may)\s+(?:store|keep|save)\b|\bi\s+consent\b|\bwe\s+consent\b"
)
_MONTH = alternatives(MONTHS)
_RELATIVE = re.compile(r"\bfor\s+\d{1,2}\s+(?:dage?|uger?|måneder?)\s+siden\b|\bi\s*går\b|\bi\s*forgårs\b|\bi\s*dag\b")
_WEEK = re.compile(r"\buge\s*\d{1,2}(?:\s+\d{4})?\b")
# "født i søndags", "sidste mandag": a birth in the last days, by its weekday.
_PAST_WEEKDAY = re.compile(
    rf"\b(?:i\s+(?:{alternatives(WEEKDAYS)})s|(?:sidste|forrige)\s+(?:{alternatives(WEEKDAYS)}))\b"
)
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}\.?\s*(?:{_MONTH})[a-zæøå]*\.?(?:\s+\d{{4}})?(?!\w)")
# Whole month names only: "jul" is Christmas, and "maj" starts "Maja".
_MONTH_ALONE = re.compile(rf"\b(?P<month>{alternatives(MONTH_NAMES)})\b(?:\s+(?P<year>\d{{4}}))?")
# The day on its own next to a month named alone ("i starten af april, d. 6",
# "den 6. i april"): never a count ("den 3 uger gamle") or part of a date.
_DAY_OF_THE_MONTH = re.compile(
    r"(?<!\w)(?:d\.?|den)\s*(?P<day>\d{1,2})\.?(?![./-]?\d)(?!\s*(?:uger?|dage?|måneder?|mdr|md|år|kr)\b)"
)
# "ikke 3. april men 4. april": the date after "ikke" is the wrong one.
_NOT_A_DATE = re.compile(rf"\bikke\s+(?:d\.\s*|den\s+)?(?:{_DAY_MONTH.pattern}|{_NUMERIC_DATE.pattern})")
_EMOJI_CATEGORIES = ("So", "Sk", "Cs", "Co", "Cn")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufe0e\ufe0f"), None)


@dataclass(frozen=True)
class EnrollmentReading:
    """What one message said; None where it said nothing."""

    parent_name: str | None = None
    child_born: bool | None = None
    child_date: date | None = None
    first_child: bool | None = None
    partner_joins: bool | None = None
    partner_name: str | None = None
    email: str | None = None
    phone: str | None = None
    consent: bool | None = None
    surname: str | None = None  # the parent's surname alone ("mit efternavn staves …")
    # The message reads as a correction ("nej", "ret", "ikke X", "det er"):
    # only then may a value replace one the form already has.
    correction: bool = False

    def found(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if key != "correction" and value is not None}


def tidy(text: str) -> str:
    """Emoji and invisible characters out, one space between words."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    kept = "".join(" " if unicodedata.category(ch) in _EMOJI_CATEGORIES else ch for ch in text)
    return " ".join(kept.split())


def statements(text: str) -> list[str]:
    """The clauses of a message that are not questions: not ending in "?",
    and not opening as one ("hvad hvis jeg er alene", "kan min mand komme med")."""
    clauses = [c.strip() for c in _CLAUSES.split(text) if c and c.strip()]
    return [c for c in clauses if not c.endswith("?") and not _QUESTION_START.match(normalise(c))]


# The course named, or the wish to join it, in a message NLU did not read as
# asking to enrol ("jonas og jeg vil gerne på kurset, termin 17/4").
_COURSE_WISH = re.compile(
    r"\b(?:kursus\w*|kurset|forældrekurs\w*|forløbet|familie\s+med\s+hjerte|tilmeld\w*|være\s+med|"
    r"komme\s+på|sign\s+up|parent\s+course|the\s+course)\b"
)


def wants_enrollment(text: str, today: date) -> bool:
    """Whether a message reads as joining the course whatever NLU called it:
    a child on the way (or just born) and one more detail (the parent's name,
    a partner coming, a contact), or any such detail with the course named.
    A look-up's code question and a misunderstood message use it
    (actions/lookup.py, actions/fallback.py)."""
    reading = read_enrollment(text, today)
    child = reading.child_born is not None or reading.child_date is not None
    others = [reading.parent_name, reading.partner_joins or reading.partner_name, reading.email or reading.phone]
    details = int(child) + sum(1 for other in others if other)
    if child and details >= 2:
        return True
    return details >= 1 and bool(_COURSE_WISH.search(normalise(tidy(text))))


def _child_born(said: str) -> bool | None:
    if _NOT_BORN.search(said):
        return False
    if _BORN.search(said):
        return True
    if _EXPECTING.search(said):
        return False
    return None


# "hun er 3 måneder", not the parent's own age ("jeg er 43 år og er lige blevet mor").
_CHILD_AGE = re.compile(r"(?<!\bjeg\s)(?<!\bvi\s)(?<!\bdu\s)\ber\s+\d{1,2}\s*(?:uger?|måneder?|mdr|md|år)\b")


def find_child_date(said: str, today: date, born: bool | None) -> date | None:
    """A due date (born False) or a birth date (born True) written anywhere in
    normalised text; with born None, a date written out in full only."""
    direction: Direction = "past" if born else "future"
    said = _NOT_A_DATE.sub(" ", after_correction(said))
    if born is False:
        from_week = due_date_from_pregnancy_week(said, today)
        if from_week:
            return from_week
    if born is True and _CHILD_AGE.search(said):
        from_age = birth_date_from_age(said, today)
        if from_age:
            return from_age
    if born is True:
        weekday = _PAST_WEEKDAY.search(said)
        if weekday:
            return find_date(weekday.group(0), today, "past")
    # "i går", "for 3 uger siden" tell a birth, never a due date ("… til at skrive i dag")
    for pattern in (_DAY_MONTH, _NUMERIC_DATE, _WEEK) + ((_RELATIVE,) if born is not False else ()):
        match = pattern.search(said)
        if match:
            found = parse_danish_date(match.group(0), today, direction)
            if found:
                return found
    if born is False:
        month = _MONTH_ALONE.search(said)
        if month:
            year = month.group("year") or ""
            day = _DAY_OF_THE_MONTH.search(said)
            if day and 1 <= int(day.group("day")) <= 31:
                # "i starten af april, d. 6": the day written wins over the month's middle.
                found = parse_danish_date(f"{day.group('day')}. {month.group('month')} {year}", today, direction)
                if found:
                    return found
            # "vi venter en lille pige i april": the middle of the month, as
            # bot/dates reads "termin i april".
            return parse_danish_date(f"i {month.group('month')} {year}", today, direction)
    return None


def names_a_month_alone(said: str) -> bool:
    """ "vi venter vores første i marts": a month without its day, which
    find_child_date reads as the month's middle (normalised text)."""
    said = _NOT_A_DATE.sub(" ", after_correction(said))
    if any(pattern.search(said) for pattern in (_DAY_MONTH, _NUMERIC_DATE, _WEEK, _RELATIVE)):
        return False
    return bool(_MONTH_ALONE.search(said)) and not _DAY_OF_THE_MONTH.search(said)


def _born_by_date(due: date | None, birth: date | None, today: date) -> tuple[bool | None, date | None]:
    if due is not None and due == birth:
        # A year written ("20/08/2027"): one date, a birth if it has been, else the due date.
        return (True, birth) if birth <= today else (False, due)
    if due is None or birth is None:
        return (False, due) if due else (True, birth) if birth else (None, None)
    return (False, due) if (due - today) <= (today - birth) else (True, birth)


# "nej vent det er d 4. maj 🙈 og ja Kasper er med": a date corrected in so
# many words, whatever else the message answers.
_DATE_CORRECTED = re.compile(
    r"\b(?:nej|næh|hov|ups|undskyld|sorry)\b(?:\W+(?:vent|lige|altså|altsaa|forresten|jeg\s+mener))*\W+"
    r"(?:det|den|terminen|termin|datoen|fødselsdagen)\s+(?:er|var|skal\s+være|skulle\s+være)\s+(?:d\.?\s*|den\s+)?\d"
)


_CONTACT_CORRECTED = re.compile(
    r"\b(?:nej|næh|ups|hov|undskyld|sorry|rettelse|jeg\s+mener|mente|oops|i\s+mean)\b", re.IGNORECASE
)


def _only_a_date(said: str) -> bool:
    """A correction with no word about the child is about the child's date
    only when it is little more than the date ("nej, det er 4. april"), not
    "nej, vi kan ikke starte 7. januar"."""
    rest = _NOT_A_DATE.sub(" ", said)
    for pattern in (_DAY_MONTH, _NUMERIC_DATE):
        rest = pattern.sub(" ", rest)
    return rest != _NOT_A_DATE.sub(" ", said) and len(re.findall(r"\w+", rest)) <= 4


def read_enrollment(text: str, today: date, asked: str | None = None, born: bool | None = None) -> EnrollmentReading:
    """Read one message. `asked` is the question the form asked (its slot
    name), `born` what the form already knows about the child; both only
    help to place a bare answer ("ja, Jonas", "4. april")."""
    clauses = statements(tidy(text))
    if not clauses:
        return EnrollmentReading()
    kept = ", ".join(clauses)
    # "20 11 43 87... nej vent 20 11 43 78": a contact corrected in the same
    # message is the one after the last word of correction.
    pieces = _CONTACT_CORRECTED.split(kept)
    email = next(filter(None, (find_email(piece) for piece in reversed(pieces))), None)
    phone = next(
        filter(None, (find_danish_phone(_NUMERIC_DATE.sub(" ", _DAY_MONTH.sub(" ", p))) for p in reversed(pieces))),
        None,
    )
    # Names and dates are read without the contact, so no digit of a phone
    # number becomes a date and no e-mail becomes a name.
    plain = _EMAIL.sub(" ", kept)
    if phone:
        plain = _PHONE_LIKE.sub(
            lambda m: " " if re.sub(r"\D", "", m.group(0)).endswith(phone[3:]) else m.group(0), plain
        )
    plain_clauses = [c for c in (c.strip(" .!") for c in _CLAUSES.split(plain)) if c]
    said = english_dates(normalise(plain))

    child_born = _child_born(said)
    correction = bool(_CORRECTION.search(said))
    date_born = child_born if child_born is not None else born
    child_date = None
    # A date alone ("Den 19. april") is the child's once the form knows whether it is born.
    if (
        child_born is not None
        or asked == "child_date"
        or ((correction or born is not None) and _only_a_date(said))
        or _DATE_CORRECTED.search(said)
    ):
        child_date = find_child_date(said, today, date_born)
    elif asked == "child_born" and _only_a_date(said):
        # "15.3" to "Er jeres barn født?": the date says it, the nearer reading wins
        # (a due date two months ahead, not a birth ten months ago); the summary shows it.
        child_born, child_date = _born_by_date(
            find_child_date(said, today, False), find_child_date(said, today, True), today
        )

    first_child = first_child_of([normalise(clause) for clause in plain_clauses])
    found_partner = partner(plain, asked)
    first = plain_clauses[0] if plain_clauses else ""
    parent_name = own_name(plain, asked == "parent_name", plain_clauses if len(clauses) > 1 else [])
    partner_name = found_partner.name
    if asked == "parent_name" and parent_name is None and (len(clauses) > 1 or 2 <= len(first.split()) <= 4):
        # "jeppe lund", which NLU read as a yes: two to four name words and nothing else
        parent_name = _whole_name(first)
    if asked == "partner_name" and partner_name is None and len(clauses) > 1:
        partner_name = _whole_name(first)
    partner_joins = found_partner.joins
    if _PARTNERS_NAME.search(said) and parent_name and not partner_name:
        # "min kærestes navn er stavet forkert, det er Mikkel": the partner's name, not the parent's
        partner_name, parent_name = parent_name, None
    if partner_name is not None and parent_name and set(partner_name.split()) <= set(parent_name.split()):
        # "Jonas og jeg" said by Jonas himself, "jeg hedder Emma Christensen og jeg er gravid": no partner
        partner_name, partner_joins = None, None
    return EnrollmentReading(
        parent_name=parent_name,
        child_born=child_born,
        child_date=child_date,
        first_child=first_child,
        partner_joins=partner_joins,
        partner_name=partner_name,
        email=email,
        phone=phone,
        consent=True if _CONSENT.search(said) else None,
        surname=own_surname(plain) if parent_name is None else None,
        correction=correction or own_surname(plain) is not None,
    )


def _whole_name(clause: str) -> str | None:
    """A clause that is nothing but a name (the answer to "Hvad hedder du?"
    followed by more): "Maja, termin 3. april"."""
    name = name_from(clause)
    return name if name and len(name.split()) == len(clause.split()) else None
