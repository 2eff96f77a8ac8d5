"""A message that tells how bad someone feels ("bare meget ked af det", "jeg
har det rigtig skidt", "føler mig så alene", "kan ikke overskue noget"):
measured on a blind set of whole conversations, a parent who answered the
offer after a service answer with "nej ikke fare, bare meget ked af det" was
told "Helt i orden" and left there. Such a no is answered with the offer of
a person (actions/safety.py). Not danger: the danger layer reads every
message first (bot/rasa_server/danger_detector.py). Folded as the danger phrases are
(bot/shared/danger.py, `normalise`)."""

from __future__ import annotations

import re

from bot.shared.danger import normalise

_INTENSITY = r"(?:(?:bare|saa|so|rigtig|rigtigt|virkelig|helt|meget|mega|super|totalt|enormt|vildt|ret|lidt)\s+)*"
_FEELING_BAD = re.compile(
    r"\b(?:"
    # "ked af det", "har (bare haft) det (rigtig) skidt/dårligt/svært/hårdt"
    rf"ked\s+af\s+det|har\s+{_INTENSITY}(?:haft\s+)?det\s+{_INTENSITY}(?:skidt|daarligt|darligt|dorligt|svaert|svart|haardt|hardt|"
    r"elendigt|forfaerdeligt|traels|traelst|ad\s+helvede\s+til|ikke\s+godt|ik\s+godt|ikke\s+saa\s+godt)|"
    # "føler mig (så) alene / ensom / trist / tom / overvældet"
    rf"(?:foeler|foler|foele|fole|foelt|folt)\s+mig\s+{_INTENSITY}(?:alene|ensom|trist|nede|tom|magtesloes|"
    r"magteslos|overvaeldet|overvaldet|fortabt|ked|sat\s+af|udbraendt|knust|haabloes|haablos|"
    r"uden\s+haab|stresset|presset|forkert)|"
    r"(?:er|bliver|blir)\s+" + _INTENSITY + r"(?:ensom|trist|deprimeret|nedtrykt|udbraendt|stresset|knust|"
    r"haabloes|haablos|overvaeldet|overvaldet)|"
    r"ensomhed|depression|deprimeret|"
    # "kan ikke overskue (noget)", "magter ikke mere", "har ikke overskud"
    r"kan\s+(?:ikke|ik|ikk)\s+(?:overskue|klare\s+mere|mere|holde\s+til\s+det)|magter\s+(?:ikke|ik)|"
    r"har\s+(?:ikke|ik|intet|ingen)\s+(?:noget\s+|meget\s+)?overskud|"
    r"graeder\s+(?:hele\s+tiden|hver\s+dag|meget)|"
    # English
    r"(?:i\s+)?feel\s+" + _INTENSITY.replace("saa|so", "so|really|very") + r"(?:alone|lonely|sad|down|low|"
    r"depressed|overwhelmed|awful|terrible|hopeless|lost)|"
    r"(?:not|no)\s+(?:doing\s+)?(?:ok|okay|well|good)\s*(?:at\s+all)?$|struggling|can'?t\s+cope"
    r")\b"
)


def tells_feeling_bad(text: str) -> bool:
    """Whether the message tells that the writer feels bad (sad, lonely, overwhelmed)."""
    return bool(_FEELING_BAD.search(normalise(text)))
