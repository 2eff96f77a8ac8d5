"""Whether an enrollment message says it is, or is not, the family's first child.

The course is for first-time parents, but the form never asks: the assistant
says who the course is for when the enrolment starts, and a parent who
mentions an older child ("vi har en søn på 3 i forvejen", "det er vores
andet barn", "storebror glæder sig") is told about the other offers. Only
what is written counts: a child on the way ("vi har en lille pige på vej"),
the baby itself ("vi har fået en søn", "vores søn er 3 måneder") and a
negation ("vi har ingen børn i forvejen") say nothing about an older child.

The clauses given are statements (questions already left out) in
normalised spelling (bot/dates/words.normalise: lower case, æ/ø/å).
"""

from __future__ import annotations

import re

_CHILD = r"(?:barn|børn|søn|sønner|datter|døtre|dreng|drenge|pige|piger|unge|unger|tvillinger|bonusbarn|bonusbørn)"
_COUNT = r"(?:en|et|to|tre|fire|fem|[1-9])"
_ORDINAL = r"(?:andet|anden|tredje|fjerde|femte|2\.|3\.|4\.|2nd|3rd)"
_YEARS = r"(?:[2-9]|1\d|to|tre|fire|fem|seks|syv|otte|ni|ti|halvandet)"

# Said outright: another child than the first, wherever it stands in the clause.
_NOT_FIRST = re.compile(
    rf"\b{_ORDINAL}\s+(?:barn|baby|graviditet|fødsel|lille\s+{_CHILD})\b|"
    rf"\b(?:vores|mit|min|vort)\s+{_ORDINAL}$|"
    r"\bbarn\s+(?:nummer|nr\.?)\s*(?:to|tre|fire|[2-9])\b|"
    r"\bikke\s+(?:vores|mit|min|vort|det|jeres)?\s*(?:første|førstefødte|førstegangs\w*)\b|"
    r"\b(?:storebror|storebroren|storesøster|storesøsteren|storesøskende|søskende|søskendet|"
    r"storebrødre|storesøstre|lillebror\s+eller\s+lillesøster)\b|"
    rf"\b{_CHILD}\s+på\s+{_YEARS}\s*(?:år|årig)|"
    r"\b(?:second|third)\s+(?:child|baby|kid|pregnancy)\b|\bnot\s+(?:our|my)\s+first\b|\bour\s+second\b|"
    r"\balready\s+have\s+(?:a|an|one|two|three|\d)\s+(?:\w+\s+)?(?:child|children|kids?|sons?|daughters?|boys?|girls?)\b"
)
# Having children, with a word that they are older: "i forvejen", "allerede", "fra før".
_HAS_CHILDREN = re.compile(
    rf"\bhar\s+(?:jo\s+|også\s+|allerede\s+)*(?:{_COUNT}\s+)?(?:\w+\s+)?{_CHILD}\b|"
    rf"\bhar\s+(?:også\s+)?andre\s+{_CHILD}\b"
)
_OLDER = re.compile(rf"\bi\s*forvejen\b|\ballerede\b|\bfra\s+før\b|\bandre\s+{_CHILD}")
_SEVERAL = re.compile(
    rf"\bhar\s+(?:allerede\s+|også\s+)?(?:to|tre|fire|fem|[2-9])\s+(?:\w+\s+)?{_CHILD}\b(?!\s+(?:på\s+vej|i\s+maven))"
)
_ON_THE_WAY = re.compile(r"\bpå\s+vej\b|\bi\s+maven\b|\bventer\b|\btermin\w*\b|\bgravid\w*\b")
_NEGATED = re.compile(r"\b(?:ingen|ikke|intet|ingenting)\b")
_FIRST = re.compile(
    r"\b(?:vores|mit|min|vort)\s+første\b|\bførste\s+barn\b|\bførstegangs\w*|\bfirst\s+(?:child|baby)\b"
)


def first_child(clauses: list[str]) -> bool | None:
    """False when a clause says there is an older child, True when one says it
    is the first, None when nothing is said."""
    if any(_says_not_first(clause) for clause in clauses):
        return False
    if any(_FIRST.search(clause) for clause in clauses):
        return True
    return None


def _says_not_first(clause: str) -> bool:
    clause = clause.strip(" .!,;:")
    if _NOT_FIRST.search(clause):
        return True
    if _NEGATED.search(clause):
        return False  # "vi har ingen børn i forvejen"
    if _SEVERAL.search(clause):
        return True  # "vi har to børn" (not "to børn på vej")
    if _ON_THE_WAY.search(clause):
        return False  # "vi har allerede en pige på vej"
    return bool(_HAS_CHILDREN.search(clause) and _OLDER.search(clause))
