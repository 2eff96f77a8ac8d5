"""Taking back what was just saved, in so many words (issue 17): "fortryd",
"undo", "slet det igen", "fjern det igen", "tag det tilbage". NLU read
"fortryd" as `stop`, but "slet det igen" as `delete_my_data` (which offers
to delete the whole conversation) and "undo" as nothing; a message that is
only these words is `stop`, whatever the classifier made of it (no intent
of its own: a new label moved the classifier's other answers). Inside a
form it stops the form; outside one the last save of the conversation's
young person is taken back, or they are told there is nothing to take back
(actions/youth_undo.py). Standard library only: the Rasa server's NLU
uses it (bot/rasa_server/explicit_requests.py)."""

from __future__ import annotations

import re

_UNDO = re.compile(
    r"^\W*(?:(?:nej\W+|hov\W+|ups\W+|øv\W+)?"
    r"(?:fortryd|fortyd|fortryde|undo|annuller\s+det\s+igen|"
    r"(?:slet|fjern|tag)\s+(?:det|den|dem)\s+(?:igen|tilbage)|slet\s+det|fjern\s+det|tag\s+det\s+tilbage|"
    r"kan\s+du\s+(?:fortryde|slette|fjerne)\s+(?:det|den)(?:\s+igen)?|"
    r"det\s+skal\s+(?:slettes|fjernes)(?:\s+igen)?)"
    r"(?:\s+(?:det|den|igen|lige|please|tak|venligst|det\s+sidste|det\s+jeg\s+skrev|alt))*)\W*$",
    re.IGNORECASE,
)


def says_undo(text: str) -> bool:
    """A message that only asks to take back what was just saved."""
    return bool(_UNDO.match(text))
