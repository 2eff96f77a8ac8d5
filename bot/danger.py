"""Clear danger phrases, as a safeguard next to the intent classifier: a
message that matches is treated as express_distress whatever the classifier
thinks (bot/distress_guard.py). Recall matters more than anything here; the
phrases are specific enough that everyday words ("slår op", "død træt") do
not match. Measured in `make bench` on tests/data/distress_test.yml.

Standard library only: the Rasa server imports it.
"""

from __future__ import annotations

import re

_SPELLING = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})

_WHO = r"(mig|os|hende|ham|boernene|barnet|babyen|min baby|vores baby|min soen|min datter|lillebror|lillesoester)"
_CHILD = (r"((min|mit|vores|den|det|sin|sit|hans|hendes) )?"
          r"(baby\w*|barn\w*|boern\w*|soen\w*|datter\w*|ham|hende|lille \w+|lille)")
_PATTERNS = [
    # suicide and self-harm
    r"\bselvmord", r"\bsuicid", r"\btage? mit (eget )?liv\b", r"\bende (det hele|mit liv)\b",
    r"\b(orker|gider|kan|vil) ikke (at )?leve\b", r"\bikke (at )?leve (mere|laengere)\b",
    r"\b(vil|ville|har lyst til at) (ik|ikke) (vaere|leve) her\b", r"\bikke vaere her mere\b",
    r"\b(skade|skaere i|cutte) mig selv\b", r"\bdoe(d)? (fra|af) det hele\b",
    r"\b(kill|hurt) myself\b", r"\bwant(s)? to die\b", r"\bend my life\b", r"\bsuicidal\b",
    # violence and threats
    rf"\b(slaar|slog|sparker|sparkede|kvaeler|kvalte|banker|bankede|taesker|truer) {_WHO}\b",
    r"\btruer med at (slaa|draebe|skade|tage)\b", r"\b(udsat for|oplever|lever med) vold\b",
    r"\bvold (derhjemme|hjemme)\b", r"\b(voldtog|voldtaget|voldtaegt)\b",
    r"\b(hits|beats|hurts) (me|my|the kids|our)\b", r"\b(domestic )?violence at home\b",
    r"\bbange for (ham|hende|min (mand|kaereste|far|mor|stedfar))\b",
    # a child in danger, a parent afraid of hurting the baby
    rf"\b(ryste|ryster|rystede|rusk\w*) {_CHILD}", rf"\bgoere? {_CHILD} (noget|fortraed|ondt)\b",
    rf"\bgoer {_CHILD} (noget|fortraed|ondt)\b", rf"\bskade {_CHILD}", r"\b(hurt|shake) (my|the|our) (baby|child|kid)",
    r"\b(barnet|babyen|boernene) er ikke (i )?sikker", r"\bikke passe paa (hende|ham|babyen|barnet) i nat\b",
]
_DANGER = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().translate(_SPELLING))


def signals_danger(text: str) -> bool:
    return bool(_DANGER.search(normalise(text)))
