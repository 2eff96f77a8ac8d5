"""People in an enrollment message: the parent's own name and whether a
partner comes along (and the partner's name).

Names are read from the original text (capitals matter: "det er Maja" is a
name, "det er rigtigt" is not); the trigger words are matched with their
ASCII spellings and common typos ("kaereste", "kærste"), since parents type
on phones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dates.words import MONTHS, NUMBER_WORDS, WEEKDAYS, normalise
from bot.validation import clean_name

# Words that are never part of a name, whatever their capitals: a name ends
# where one of these starts ("min kæreste Jonas kommer med", "Jonas og jeg").
_STOP_TEXT = """
    og også ogsa osse med jeg vi du han hun de den det der dér er var bliver blev kommer komme kom
    ikke ik ja jo nej nope tak hej hejsa halløj hallo goddag dav min mit mine vores vor jeres din dit
    barnets barn baby babyen kæreste mand manden kone konen partner partneren sambo samlever far faren
    fars mor moren mors medforælder termin terminen født gravid venter forventet forventer uge uger
    måned måneder mdr år gammel alene kun bare mig os dem ham hende to begge email mail e-mail
    telefon tlf nummer mobil mobilnummer hedder navn navnet gerne vil skal kan lige nu første andet
    staves stavet skrives skrevet spelled spelt
    rigtigt rigtig korrekt fint okay ok tilmeld tilmelde tilmelding kursus kurset familie hjerte hold
    holdet i på til fra af om en et som men eller så sa hvad hvor hvordan hvornår undskyld sorry ret
    rette rettelse mente nemlig faktisk stadig snart lille pige dreng tvillinger deltager deltage
    tager tage glad glade spændt super dejligt vil gerne have har havde hilsen mvh venlig ingen intet
    ny nyt nye første gang her hermed måske maaske maske tja hmm hm nok vist sikkert muligvis nix næh
    jep jeps yes yep no nah maybe sure yeah
    and my our the due date is am are will join joining too also we husband wife boyfriend girlfriend
    alone pregnant expecting hi hello name
    øv oev hov ups ups vent stavefejl tastefejl fejl typo argh arh pis shit damn oops whoops
    syg træt traet travl optaget hjemme væk vaek ude sick tired busy working
    dzień dzien dobry dobri assalamu assalam alaikum aleikum alaykum salaam salam salamu merhaba marhaba selam
    selamlar bonjour hola ciao salve namaste shalom privet pryvit vitayu dobryi dobroho dnia guten tag morgen
    godmorgen godaften goddag moin mojn hallo halløj hey hejhej xin chào chao hi hiya greetings
    fortryd fortryder fortrudt afmeld afmelde afmelder afmelding annuller annullere slet slette stop stopper
    glem hustru hustruen ægtefælle aegtefaelle ægtemand forlovede spouse
    kære kaere dear kommune kommunen municipality sir madam
    """
STOPWORDS = frozenset(_STOP_TEXT.split()) | frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(NUMBER_WORDS)

_LETTERS = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
_NAME_TOKEN = re.compile(rf"^{_LETTERS}\.?$")
_TOKEN = re.compile(r"\S+")
_PARTNER_WORD = (
    r"(?:k(?:j)?æ?a?e?r(?:e)?ste(?:n)?|mand(?:en)?|kone(?:n)?|partner(?:en)?|sambo(?:en)?|samlever(?:en)?|"
    r"medforæ?l?d?e?r|hustru(?:en)?|ægtefælle(?:n)?|aegtefaelle(?:n)?|ægtemand(?:en)?|forlovede|"
    r"husband|wife|boyfriend|girlfriend|partner|spouse|fianc[ée]e?)"
)
# "min far" is the parent's own father; the child's father is "far",
# "faren" or "barnets far".
_PARENT_WORD = r"(?:far|faren|mor|moren)"
_ROLE = (
    rf"(?:(?:(?:min|mit|vores|barnets|babyens|my|our)\s+)?{_PARTNER_WORD}|"
    rf"(?:(?:barnets|babyens)\s+)?(?<!min\s)(?<!mit\s)(?<!vores\s){_PARENT_WORD})"
)
_OWNER = r"(?:min|mit|vores)"
_ROLE_JOINS = re.compile(
    rf"\b{_ROLE}\b(?P<name>(?:\s+{_LETTERS}){{0,2}}?)\s+"
    r"(?:(?:kommer|deltager|vil|skal|er|tager|går|gaar)\s+(?:også\s+|ogsaa\s+|osse\s+|gerne\s+)*"
    r"(?:(?:være|vaere|komme)\s+)?(?:med|deltage|med på|med paa)|deltager|kommer\s+(?:også|ogsaa|osse)(?!\s+ikke)|"
    r"will\s+(?:also\s+)?(?:join|come)|is\s+(?:also\s+)?(?:joining|coming)|joins|comes)\b",
    re.IGNORECASE,
)
_NOT = r"(?:ikke|ikk|ik)"
_ROLE_NOT = re.compile(
    rf"\b{_ROLE}\s+(?:kommer|deltager|er|skal|kan)\s+{_NOT}\b|"
    rf"\bingen\s+(?:{_ROLE}|medforæ?ldre)\b|\b{_ROLE}\s+(?:er\s+)?{_NOT}\s+(?:med|en\s+del)|"
    # "ingen, far er ikke i billedet", "nej, han er ikke med i billedet"
    rf"\b{_NOT}\s+(?:med\s+)?i\s+billedet\b|^\W*ingen\s*(?:[,.!]|$)",
    re.IGNORECASE,
)
_ROLE_NAMED = re.compile(
    rf"\b{_ROLE}(?:s?\s+(?:navn\s+)?(?:hedder|staves|skrives|stavet)|\s+is\s+called|\s+is\s+named|['’]s\s+name\s+is"
    r"|['’]s\s+name\s+is\s+spelt|(?:['’]s\s+name)?\s+is\s+spelled)\s+"
    rf"(?P<name>{_LETTERS}(?:\s+{_LETTERS}){{0,3}})",
    re.IGNORECASE,
)
# "min kæreste er Anders", "my wife is Anna": a name that ends its clause
# ("min kone er gravid" names nobody: the stop words above).
_ROLE_IS = re.compile(
    rf"\b{_ROLE}\s+(?:er|is)\s+(?P<name>{_LETTERS}(?:\s+{_LETTERS})?)\s*(?:[.,!;:)\n]|og\b|and\b|$)",
    re.IGNORECASE,
)
# "Jeg hedder Nadia og han hedder Simon", "nej, han hedder Jonas": the partner,
# unless the message is about the child ("vores søn, han hedder Oliver").
# In English too: "her name is Agnieszka", "he's called Tom".
_PRONOUN_NAMED = re.compile(
    rf"\b(?:(?:han|hun)\s+(?:hedder|staves|skrives)|(?:hans|hendes)\s+(?:for)?navn\s+(?:er|staves|skrives)|(?:her|his)\s+(?:first\s+)?name(?:['’]s|\s+is)|"
    rf"(?:she|he)(?:['’]s|\s+is)\s+(?:called|named))\s+"
    rf"(?P<name>{_LETTERS}(?:\s+{_LETTERS}){{0,3}})",
    re.IGNORECASE,
)
_ABOUT_THE_CHILD = re.compile(
    r"\b(?:søn|sønnen|datter|datteren|dreng|drengen|pige|pigen|barn|barnet|baby|babyen|lille|"
    r"son|daughter|boy|girl|child|kid)\b",
    re.IGNORECASE,
)
# A son or a daughter named is the child "han"/"hun" names; "barn" and "baby"
# alone name no one's sex: with a partner named as such ("min kone og jeg
# venter vores første barn ... hun hedder Line"), the pronoun is the partner.
_CHILD_WITH_A_SEX = re.compile(
    r"\b(?:søn|sønnen|datter|datteren|dreng|drengen|pige|pigen|lille\s+(?:pige|dreng)|son|daughter|boy|girl)\b",
    re.IGNORECASE,
)
_PARTNER_NAMED_AS_SUCH = re.compile(rf"\b{_OWNER}\s+{_PARTNER_WORD}\b", re.IGNORECASE)
# "min mand Yusuf" as the answer; "Dmytro, han er min mand"; "Jonas (min kæreste)".
_ROLE_THEN_NAME = re.compile(
    rf"^\W*(?:ja\W+)?(?:det\s+er\s+)?{_ROLE}\s+(?P<name>{_LETTERS}(?:\s+{_LETTERS})?)\W*$", re.IGNORECASE
)
# "Min kone Sofie er gravid", "me and my wife Sana.": the partner's role, then a
# name written with a capital, inside a longer message.
_OWNER_ROLE_NAME = re.compile(
    rf"(?:\b(?i:min|mit|vores|my|our)\s+|(?:^|[.,;:!]\s*))(?i:{_PARTNER_WORD})\s+(?P<name>{_LETTERS}(?:\s+{_LETTERS})?)"
)
_NAME_THEN_ROLE = re.compile(
    rf"(?P<name>{_LETTERS}(?:\s+{_LETTERS})?)\s*(?:,\s*|\s+)(?:(?:han|hun|det)\s+)?er\s+{_ROLE}\b|"
    rf"(?P<name2>{_LETTERS}(?:\s+{_LETTERS})?)\s*\(\s*{_ROLE}\s*\)",
    re.IGNORECASE,
)
# "Min kone hedder Maria og deltager også": named, and coming along.
_JOINS = re.compile(
    r"\b(?:deltager|kommer)\s+(?:også\s+|ogsaa\s+|osse\s+|gerne\s+)*(?:med\b|$)|\b(?:deltager|kommer)\s+(?:også|ogsaa|osse)\b|"
    # "min mand hedder Yusuf og han vil også gerne være med"
    r"\b(?:vil|skal)\s+(?:også\s+|ogsaa\s+|osse\s+|gerne\s+|godt\s+)*(?:være|vaere|komme|deltage)(?:\s+med)?\b",
    re.IGNORECASE,
)
_DOES_NOT_JOIN = re.compile(r"\b(?:deltager|kommer|kan|vil|skal)\s+(?:ikke|ikk|ik)\b", re.IGNORECASE)
_ALONE = re.compile(
    r"\b(?:jeg\s+er\s+alene|kommer\s+alene|deltager\s+alene|er\s+alene(?:mor|far)?|alene(?:mor|far|forælder)|"
    r"kun\s+mig|bare\s+mig|kun\s+mig\s+selv|enlig|single|ingen\s+partner|og\s+alene|alene\s+om\s+det|"
    r"(?:tager|gør|gør|går|klarer)\s+det\s+alene|only\s+me|"
    r"i\s+am\s+alone|i'm\s+alone|just\s+me|on\s+my\s+own|coming\s+alone|no\s+partner)\b",
    re.IGNORECASE,
)
_TOGETHER = re.compile(
    r"\b(?:vi\s+er\s+to|vi\s+kommer\s+(?:begge|to|sammen)|begge\s+to|vi\s+kommer\s+begge\s+to|"
    rf"(?:mig|jeg)\s+og\s+{_OWNER}\s+{_PARTNER_WORD}|{_OWNER}\s+{_PARTNER_WORD}\s+og\s+(?:mig|jeg))\b",
    re.IGNORECASE,
)
_NAME_AND_I = re.compile(rf"(?P<name>{_LETTERS})\s+og\s+(?:jeg|mig)\b|\b(?:jeg|mig)\s+og\s+(?P<name2>{_LETTERS})")
_NAME_COMES = re.compile(
    rf"(?P<name>{_LETTERS})(?:\s*\([^)]*\))?\s+(?:kommer|deltager|er)\s+(?:også\s+|ogsaa\s+|osse\s+|gerne\s+)*med\b",
    re.IGNORECASE,
)
_YES_NAME = re.compile(
    r"^\s*(?:ja|jo|jep|jeps|yes)\b[\s,.!:-]*(?:det\s+er\s+|han\s+hedder\s+|hun\s+hedder\s+|"
    rf"(?:min|mit|vores|my|our)\s+{_PARTNER_WORD}[\s,.:;-]+(?:hedder\s+|is\s+|er\s+)?|"
    # "ja hendes far Sebastian", "ja, barnets far. Rasmus": the child's other parent
    rf"(?:hendes|hans|barnets|babyens|lillens)\s+{_PARENT_WORD}[\s,.:;-]+(?:hedder\s+|er\s+)?)?(?P<name>.+)$",
    re.IGNORECASE,
)
_OWN_NAME = re.compile(
    rf"\b(?P<cue>jeg\s+hedder|jeg\s+hed|mit\s+navn\s+er|mit\s+navn\s+staves|mit\s+navn\s+skrives|navnet\s+er|jeg\s+er|det\s+er|her\s+er|my\s+name\s+is|"
    # "mit navn Yasmin Haddad", "my name Lan Nguyen": the verb left out
    rf"mit\s+navn\s*:?|my\s+name\s*:?|"
    # "navn Siriporn Jensen", "navn: …", "name: …", as a form is filled in
    rf"(?<!mit\s)(?<!dit\s)navn\s*:?|name\s*:|"
    rf"i['’]?m|i\s+am|this\s+is|"
    # "Jeg skriver på vegne af min datter, Line Kjærgaard, som venter …": the parent is the daughter
    rf"(?:på|paa)\s+vegne\s+af\s+(?:min|vores)\s+(?:datter|søn|soen|svigerdatter|barnebarn|veninde|ven|niece)\s*,?)\s+"
    rf"(?P<name>{_LETTERS}(?:\s+{_LETTERS}){{0,3}})",
    re.IGNORECASE,
)
# The partner named as the one who is pregnant, in a message from the other parent.
_NAME_IS_PREGNANT = re.compile(
    rf"(?:^|[\s,.!;:])(?P<name>{_LETTERS})\s+(?:er\s+(?:den\s+)?gravid\w*|er\s+den\s+der\s+er\s+gravid|"
    r"is\s+(?:the\s+one\s+who\s+is\s+|the\s+one\s+)?pregnant)\b"
)
_SHE_OR_HE_JOINS = re.compile(
    r"\b(?:hun|han|hen|she|he)\s+(?:skal|kommer|vil|deltager|will|is\s+coming)\s+(?:\w+\s+){0,2}?"
    r"(?:med|with\s+me|too|also|along)\b",
    re.IGNORECASE,
)
_NAME_BEFORE_AN_ANSWER = re.compile(
    rf"^\s*(?P<name>{_LETTERS}(?:\s+{_LETTERS}){{1,3}})\s+(?:termin\w*|født|fodt|foedt|tlf|telefon\w*|mobil\w*|"
    r"e-?mail|mail|nr|nummer|due|born)\b",
    re.IGNORECASE,
)
_NAME_HERE = re.compile(rf"^(?:hej\W+)?(?P<name>{_LETTERS}(?:\s+{_LETTERS})?)\s+her\W*$", re.IGNORECASE)
_STRONG_CUES = ("hedder", "hed", "navn", "name")
_PARTNER_PRONOUNS = frozenset({"han", "hun", "hen", "partneren", "kæresten", "kaeresten", "faren", "moren"})


# Words that are also Danish surnames: a stop word only when not written with a capital ("Camilla Due").
SURNAMES_TOO = frozenset({"due"})


def _is_stopword(token: str) -> bool:
    bare = token.strip(".,!?:;")
    word = normalise(bare)
    if word in SURNAMES_TOO and bare[:1].isupper():
        return False
    return word in STOPWORDS


def name_from(words: str, need_capitals: bool = False, max_words: int = 4) -> str | None:
    """The name at the start of `words`, up to the first word that is never
    part of a name; None when there is none. With need_capitals every word
    must start with a capital letter (a weak cue such as "det er")."""
    taken: list[str] = []
    for token in _TOKEN.findall(words):
        token = token.strip(",.!?:;")
        if not token or not _NAME_TOKEN.match(token) or _is_stopword(token):
            break
        if need_capitals and not token[0].isupper():
            break
        taken.append(token)
        if len(taken) == max_words:
            break
    return clean_name(" ".join(taken)) if taken else None


def own_name(text: str, asked_for_it: bool, clauses: list[str]) -> str | None:
    """The parent's own name: "jeg hedder Maja Nielsen", "mit navn er ...",
    "det er Maja" (capitals needed unless the name was asked for), or a
    clause of two to four name words among other answers ("Maja Nielsen,
    termin ..."): the first in any case, another when written with capitals."""
    for match in _OWN_NAME.finditer(text):
        strong = any(cue in match.group("cue").lower() for cue in _STRONG_CUES)
        name = name_from(match.group("name"), need_capitals=not (strong or asked_for_it))
        if name:
            return name
    if asked_for_it:
        first = _NAME_BEFORE_AN_ANSWER.match(text)
        name = name_from(first.group("name")) if first else None
        if name and len(name.split()) >= 2:
            return name  # "Peter Nygaard termin 9/2": the name, then another answer
    for clause in clauses:
        here = _NAME_HERE.match(clause)
        if here:  # "Maja her", as a message is signed
            return name_from(here.group("name"))
    if len(clauses) < 2:
        return None  # one clause alone ("asdkjh qwpoeiru") is read by the question asked, not here
    for index, clause in enumerate(clauses):
        tokens = _TOKEN.findall(clause)
        if 2 <= len(tokens) <= 4:
            name = name_from(clause, need_capitals=index > 0)
            if name and len(name.split()) == len(tokens):
                return name
    return None


# "mit efternavn staves Christensen, med Ch": the parent's surname alone, corrected.
_SURNAME = re.compile(
    rf"\b(?:mit\s+efternavn|efternavnet|my\s+surname|my\s+last\s+name)\s+(?:er|staves|skrives|hedder|is|is\s+spelled)\s+"
    rf"(?P<name>{_LETTERS}(?:-{_LETTERS})?)",
    re.IGNORECASE,
)


def own_surname(text: str) -> str | None:
    found = _SURNAME.search(text)
    return name_from(found.group("name"), max_words=1) if found else None


@dataclass(frozen=True)
class Partner:
    joins: bool | None = None
    name: str | None = None


def partner(text: str, asked: str | None) -> Partner:
    """Whether a partner comes along, and the name when it is given."""
    if _ROLE_NOT.search(text) or _ALONE.search(text):
        return Partner(joins=False)
    named = _ROLE_NAMED.search(text)
    if named is None and (
        not _ABOUT_THE_CHILD.search(text)
        or (_PARTNER_NAMED_AS_SUCH.search(text) and not _CHILD_WITH_A_SEX.search(text))
    ):
        named = _PRONOUN_NAMED.search(text)
    name = name_from(named.group("name")) if named else None
    if name and not _DOES_NOT_JOIN.search(text):
        # A partner named as such is coming: nobody names one who is not ("kæresten hedder Kasper").
        return Partner(True, name)
    for pattern in (_ROLE_THEN_NAME, _NAME_THEN_ROLE, _ROLE_IS):
        found = pattern.search(text)
        role_named = name_from(found.group("name") or found.groupdict().get("name2") or "") if found else None
        if role_named and not _DOES_NOT_JOIN.search(text):
            return Partner(True, role_named)
    owner_named = _OWNER_ROLE_NAME.search(text)
    capitalised = name_from(owner_named.group("name"), need_capitals=True) if owner_named else None
    if capitalised and not _DOES_NOT_JOIN.search(text):
        return Partner(True, capitalised)
    pregnant = _NAME_IS_PREGNANT.search(text)
    carrier = name_from(pregnant.group("name"), need_capitals=True) if pregnant else None
    if carrier and not _DOES_NOT_JOIN.search(text):
        # "Signe er den gravide, termin 7. oktober, og hun skal selvf med", from her co-mother
        return Partner(True if _SHE_OR_HE_JOINS.search(text) else None, carrier)
    joins = _ROLE_JOINS.search(text)
    if joins:
        return Partner(True, name or name_from(joins.group("name"), max_words=2))
    for pattern in (_NAME_AND_I, _NAME_COMES):
        found = pattern.search(text)
        if found:
            word = found.group("name") or found.groupdict().get("name2") or ""
            candidate = name_from(word)
            # "han kommer med" names nobody but says yes; "det kommer med" says nothing.
            if candidate or word.lower() in _PARTNER_PRONOUNS:
                return Partner(True, candidate or name)
    if _TOGETHER.search(text):
        return Partner(True, name)
    if asked == "partner_joins":
        yes_name = _YES_NAME.match(text)
        if yes_name:
            return Partner(True, name_from(yes_name.group("name"), max_words=3) or name)
        first = re.split(r"[.,!;:\n]", text.strip(), maxsplit=1)[0]
        alone = name_from(first, max_words=3)
        if alone and len(alone.split()) == len(_TOKEN.findall(first.strip(" .!"))):
            # "Freja", "Emil. og sorry, terminen er …": the partner's name is the yes
            return Partner(True, alone)
    return Partner(None, name)
