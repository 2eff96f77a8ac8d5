"""The building blocks of the danger phrases (bot/shared/danger.py): who is
hurt, who hurts, and the verbs, in the spelling the phrases search (lower
case, æ→ae, ø→oe, å→aa). Standard library only: the Rasa server imports it."""

from __future__ import annotations

NOT = r"(ik|ikk|ikke)"
KID = (
    r"(baby(en)?|barn(et)?|boern(ene)?|soen(nen)?|soenner(ne)?|datter(en)?|doetre(ne)?|dreng(en)?|pige(n)?"
    r"|unge(rne)?|lillebror|lillesoester|tvilling(erne)?|lillen|lille( (pige|dreng|skat|mus|baby|fyr|ven|pus))?)"
)
# a child, with or without "min/vores/den …", or a pronoun for one
CHILD = rf"(((min|mit|mine|vores|den|det|sin|sit|sine|hans|hendes) )?{KID}\b|ham\b|hende\b)"
WHO = rf"(mig|os|{CHILD})"
# the writer or the writer's own child ("naboens barn bliver slået" is report_concern, not distress)
OWN = rf"(jeg|vi|(min|mit|mine|vores) {KID}|babyen|barnet|boernene)"
PARTNER = r"(mand|kone|kaereste|kaerste|samlever|partner|eks\w*|far|mor|stedfar|stedmor|plejefar|plejemor)"
# hitting, kicking, choking, threatening someone: present, past, participle, chat typos
HIT = (
    r"(sla{1,2}r|slog|sla{1,2}e?t|slaaer|sparker|sparkede|sparket|sparke[rt]? til|kvaeler|kvalte|kvalt|banker"
    r"|bankede|banket|taesker|taeskede|taesket|taever|taevede|taevet|truer|truede|truet|skubber|skubbede|skubbet"
    r"|nikker|nikkede|smadrer|smadrede|smadret)"
)
# what was done to the writer or their child ("jeg er blevet slået", "min søn bliver slået")
HARMED = (
    r"(sla{1,2}e?t(?! ud\b| omkuld| af (hvor|at|hvordan|tanken))|banket(?! op)|taesket|taevet|sparket(?! ud)"
    r"|kvalt|misbrugt(?! som)|voldtaget|voltaget|overfaldet"
    r"|truet(?! med (udsaettelse|fyring|boede|opsigelse|sagsanlaeg|inkasso)))"
)
URGE = (
    r"(bange for|frygter|angst for|lyst til|tanker om|taenker paa|taenkt paa|fristet til|finde paa|kommer til"
    r"|ved|tanken om)"
)
