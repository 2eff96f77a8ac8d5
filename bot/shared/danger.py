"""Clear danger phrases, the floor under the learned danger score: a message
that matches is express_distress whatever the classifier or the score
thinks (bot/rasa_server/danger_detector.py). Recall matters more than anything here; the
phrases are specific enough that everyday words ("slår op", "død træt",
"slår græsset", "kan det skade babyen at …") do not match. Measured in
`make bench` on tests/data/distress_test.yml (blind); tuned on
tests/data/distress_dev.yml (tests/unit/test_danger.py holds the share).

The text is lower-cased and spelled without æ/ø/å first (æ→ae, ø→oe, å→aa),
so every pattern is written that way; `oe?` and `a{1,2}` also accept chat
spellings such as "do", "rorte", "slar". Everyday idioms that share words
with a danger phrase ("det slog mig at", "slår mig i ludo", "vi slog os ned")
are blanked out before the search, so a message that also holds a real
danger phrase still matches.

Standard library only: the Rasa server imports it.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.shared.danger_words import CHILD as _CHILD
from bot.shared.danger_words import HARMED as _HARMED
from bot.shared.danger_words import HIT as _HIT
from bot.shared.danger_words import KID as _KID
from bot.shared.danger_words import NOT as _NOT
from bot.shared.danger_words import OWN as _OWN
from bot.shared.danger_words import PARTNER as _PARTNER
from bot.shared.danger_words import URGE as _URGE
from bot.shared.danger_words import WHO as _WHO

_SPELLING = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "’": "", "'": ""})

# Words that name the topic: said by someone in danger ("tanker om selvmord")
# and by someone who is not ("en dokumentar om selvmord", "vi læser om
# selvskade"). A topic word alone makes a message the check-in tier at least;
# the learned score decides whether it is high (bot/shared/danger_model.py).
_TOPICS = [
    r"\bselvmor",
    r"\bsuicid",
    r"\bselvskad",
    r"\bafskedsbrev",
    # Violence named as a topic ("udsat for vold", "vold i hjemmet", "et voldeligt
    # forhold"): said by someone living with it and in "en dokumentar om vold i
    # hjemmet", "kvinder der er udsat for vold"; the score tells them apart.
    r"\b(udsat for|oplever|lever med) vold\b",
    r"\bvold i (hjemmet|familien|parforholdet)\b",
    r"\bvoldeligt (forhold|parforhold|aegteskab|hjem)\b",
    # Being at a high place or by the rails ("står på broen lige nu"): said by
    # someone about to jump and by someone fishing from a bridge, so a check-in
    # at least, and high when the score agrees.
    r"\b(staar|sidder|sidde|staa|er) (helt )?(oppe |ude |nede )?(paa|ved) (taget|broen|kanten|skinnerne|sporet"
    r"|togskinnerne|perronkanten|altankanten|klippen)\b",
    r"\b(on|at) the (roof|bridge|edge|tracks|rails)\b",
    # Marks on a child that may be from violence: a check-in at least, and high when the score agrees.
    r"\b(braendemaerker|cigaretmaerker|(burn|cigarette) (marks|burns))\b",
    r"\bmaerker (efter|fra) (en )?(cigaret|smoeg|lighter|baelte|baeltespaende)",
]

_SUICIDE_AND_SELF_HARM = [
    r"\btager? mit (eget )?liv\b",
    r"\b(at|vil|ville|skal|gerne|kan|kunne) tage livet af mig\b",
    r"\bende (det hele|mit liv|livet)\b",
    r"\bgoere en ende paa (mit liv|livet|det hele|mig selv|alt|det)\b(?! (her|der))",
    rf"\b(orker|gider|kan|vil) {_NOT} (at )?leve\b(?! (uden|af|med|for|paa|i|sammen))",
    rf"\b{_NOT} (at )?leve (mere|laengere|laenger)\b",
    rf"\b{_NOT} (\w+ )?lyst til at leve\b",
    rf"\b(burde|fortjener) {_NOT} (at )?leve\b",
    r"\bikke vaerd at leve\b",
    rf"\b{_NOT} (lyst til |\w+ )?(at )?(vaere|blive) i live\b",
    rf"\b{_NOT} (at )?vaere til (mere|laengere|laenger)\b",
    # "vil ikke være her" at the end of a thought, not "… her i julen"
    rf"\b(vil|ville|har lyst til at|gider|orker) (bare |slet |overhovedet )?{_NOT} (vaere|leve) her\b"
    r"(?= *($|[.,!?:;)😔😢😭]| mere| mer\b| laenger| fr\b| alts| bare| nu\b))",
    rf"\b{_NOT} (vaere|var|er) her (mere|laengere|laenger)\b",
    r"\bingen (ville|vil|kommer til at) savne mig\b",
    r"\b(ingen|nogen) (grund|mening) (til|med) at (leve|fortsaette)\b(?! (paa|med|i|til|uddannelsen|kurset))",
    r"\bvil (jeg )?(bare |gerne |helst |bare gerne )?doe?\b(?! (af|for|hvis|med))",
    r"\blyst? til at doe?\b(?! (af|for))",
    r"\boensk\w* (at )?jeg (bare )?var doe?d\b",
    r"\b(tanker om|taenker paa|taenkt paa|taenker) at doe?\b",
    r"\bbedre (af )?uden mig\b(?! (i|paa|til|ved|hjemme|derhjemme|naar|om))",
    r"\b(bedre|bedst) (for \w+ )?hvis jeg (bare )?(ikke var her|ikke fandtes|ikke levede|ikke eksisterede|var doe?d"
    r"|forsvandt|doede|doer)\b",
    r"\b(lyst til at|vil|ville|bare|gerne) (\w+ )?forsvinde (for altid|fra det hele|fra jorden)\b",
    r"\b(vil|bare|gerne) (bare )?vaek for altid\b",
    rf"\b(haaber|oensker) (at )?(jeg )?({_NOT}|aldrig) (at )?(jeg )?vaagne",
    r"\baldrig (at )?vaagne (op )?igen\b",
    r"\bdoe(d)? (fra|af) det hele\b",
    r"\bingen (anden )?vej ud\b(?! (af|end))",
    r"\bingen (anden )?udvej\b(?! (end|med|paa|for|i|til))",
    r"\b(skade|skader|skaere i|skaerer i|cutte|cutter|goere skade paa|goer skade paa) (mig|sig) selv\b",
    r"\b(skaaret|skar|skaret|braendt|brandt|braendte) (i )?mig selv\b(?! (i|paa|med) (fingeren|tommelfingeren"
    r"|haanden|foden|komfuret|ovnen|panden|kniven|papir\w*|strygejernet))",
    r"\b(skaaret|skaerer|skar|skaere|skaret|ridser|ridset|ridsede) (mig )?i (mig selv|armene|armen|benene|laarene"
    r"|haandled\w*)",
    # "jeg skærer mig" with no object is how self-harm is said; not "skære mig en skive", "skar mig på kniven"
    r"\b(skaere|skaerer) mig\b(?! (i|paa|med|en|et|lidt|ind|igennem|fri|ud|til|op|af|ved|pa)\b)",
    r"\bcutt(er|et|ede|e)( mig| igen| selv| stadig|$)",
    # cutting again, deeper: "skar mig dybere end jeg plejer", not "skar mig på kniven"
    r"\b(skar|skaaret|skaret|skaerer|skaere) mig (igen|dybere|for dybt|til blods|i nat|i aftes)\b",
    r"\bridse(r|t|de)? (mig|sig) (selv|igen|i nat|i arm\w*)",
    r"\b(braendt|braender|braendte) (mig|sig) (selv )?(med|paa) (en )?(lighter|cigaret\w*|smoeger)",
    r"\bafslutte (det hele|mit liv|livet)\b",
    r"\b(lettere|bedre|nemmere) (at vaere|hvis jeg var) doe?d\b",
    r"\bingen (ville|vil) (\w+ ){0,3}hvis jeg (forsvandt|doede|var doe?d|var vaek|ikke var her)\b",
    # a lot of pills at once, not "må jeg tage piller mod hovedpine"
    r"\b(taget|tage|tager|tog|slugt|sluge|sluger|slugte|spist|spiste)( lige)? (alle|en hel \w+|en masse|mange"
    r"|hele (pakken|glasset|boetten|bakken)|en haandfuld)( \w+)?( af)?( mine| min| de| hendes| hans)? (piller|pillerne"
    r"|tabletter\w*|panodil\w*|pamol\w*|sovepiller|antidepressiv\w*|lykkepiller|sovemedicin)\b"
    # "for" a pain, not "for en time siden"
    r"(?! (mod|imod|mens|til|om dagen|for(?! (\w+ ){1,2}(time\w*|minut\w*|kvarter\w*)\b| (lidt|kort) siden)))",
    r"\bgemt (\w+ )?(piller|tabletter) (sammen|til)",
    r"\b(taget|tog|slugt|slugte|spist|spiste) (alt )?for mange (piller|tabletter|panodil\w*|pamol\w*|sovepiller)\b"
    r"(?! med)",
    r"\b(tage|tager|tog|taget) (en )?overdosis\b",
    r"\b(hoppe|springe|kaste mig|smide mig) (ud |ned )?(fra|foran|under|ud foran) (broen|taget|altanen|vinduet"
    r"|toget|et tog|en bil|bilerne|en lastbil|bussen)",
    r"\bjeg staar paa (broen|kanten)\b",
    r"\b(kill|killing|hurt|hurting|cut|cutting) myself\b",
    r"\bwant(s|ed)? to die\b",
    r"\bwanna die\b",
    r"\bkms\b",
    r"\bend(ing)? (my life|it all)\b",
    r"\bsuicidal\b",
    r"\b(dont|do not) want to (be alive|live|be here)\b",
    r"\bbetter off (without me|if i (was|were) (gone|dead))\b",
]

_VIOLENCE_AND_CONTROL = [
    rf"\b{_HIT} {_WHO}",
    rf"\b(vil|ville|skal|kommer til at|sagt at han|siger han) (draebe|myrde|kvaele|skyde|stikke|slaa) {_WHO}",
    rf"\b(sla{{1,2}}|sla{{1,2}}r|slog|draebe|draeber|draebte) {_WHO}( selv)? ihjel\b",
    rf"\btru(er|ede|et) (mig |os )?med (at )?(komme og )?(slaa|draebe|skade|smide|braende|kvaele|stikke|skyde"
    rf"|voldtage|ihjel|tage (mit liv|livet|mig|{_CHILD}))",
    r"\btru(er|ede|et) (mig |os )?med (en )?kniv",
    rf"\b{_OWN}( paa \S+( aar| mdr| maaneder)?)? (er |bliver |blev |er blevet |har vaeret |var )(\w+ )?{_HARMED}\b",
    r"\b(han|hun) (sla{1,2}r|slog) (og (sla{1,2}r|slog)|igen og igen)\b",
    r"\bhjaelp\b[^.?!]{0,20}\b(han|hun) (sla{1,2}r|slog)\b",
    r"\bkvaelertag\b",
    rf"\b(fat|tag) (om|i) halsen paa {_WHO}",
    r"\bby the throat\b",
    r"\bgoe(re|r)? (mig|os) fortraed\b",
    r"\b(ikke|ik) overlever (natten|i nat)\b",
    r"\b(kastet|skubbet|smidt) (ind i|mod|ned ad) (vaeggen|muren|doeren|gulvet|trappen)",
    r"\blussing",
    r"\b(han|hun) har (en |sin |et )?(kniv|pistol|vaaben)\b(?! til (at|\w+))",
    r"\bvold (derhjemme|hjemme)\b",
    r"\bvold i (mit|vores) forhold\b",
    # violence named as a topic is a topic word (_TOPICS); said of oneself, it is clear
    r"\b(jeg|vi|min \w+|mit \w+|mine \w+) (er|var|bliver|blev|er blevet|har vaeret) (\w+ )?udsat for vold\b",
    r"\b(jeg|vi) (oplever|lever med) vold\b",
    r"\b(der er|vi har|hos os er der) vold i (hjemmet|familien)\b",
    r"\b(jeg|vi) (er|var|lever|bor) i et voldeligt (forhold|parforhold|aegteskab|hjem)\b",
    rf"\b(han|hun|min {_PARTNER}|babyens far|boernenes far) (er|bliver|blev|var|kan blive|har vaeret) (\w+ )?"
    r"(voldelig|haardhaendet)\b(?! (god|godt|sjov))",
    rf"\bbange for (ham|hende|min {_PARTNER})\b",
    # the whole message is who hits ("far slår", "min kæreste slog"): no object, nothing after it
    rf"^\W*((min|mit|vores|babyens|boernenes) )?{_PARTNER}(en|n)? {_HIT}\W*$",
    r"\boverfald(er|et|t)? mig\b",
    # a threat left at the door: "en død rotte på dørmåtten og en seddel: næste gang er det dig"
    r"\bnaeste gang er det (dig|jer)\b(?! (der|som|til|tur))",
    r"\b(doed|doede) (rotte|fugl|kat|mus|dyr\w*) (paa|foran|ved|i) (min |vores )?(doermaatte\w*|doer\w*|trappe\w*"
    r"|postkasse\w*|bil\w*)",
    r"\b(forfoelger|forfulgte|stalker|stalkede) (mig|os)\b",
    rf"\b(laas|spaerr)\w* {_WHO} inde\b",
    rf"\blukke\w* {_CHILD} inde\b",
    rf"\b{_OWN} (er|bliver|blev|er blevet|sidder) (\w+ )?(laast|spaerret) inde\b",
    r"\blaas\w* (doeren|hoveddoeren|os|mig)[^.?!]{0,30}\b(ikke|ik) (kan|maa) (komme|slippe|gaa) ud\b",
    rf"\b(skjuler|gemmer) (mig|os) for (ham|hende|min {_PARTNER})\b",
    r"\bskjuler (mig|os) (i|paa|hos|med|ude|inde)\b",
    rf"\b(skub|kast|smed|smide)\w* {_WHO} (ind i|mod|ned ad|ned paa) (vaeggen|muren|doeren|gulvet|trappen|skabet)",
    rf"\bkast\w* (med )?(ting|ting og sager|flasker|glas|tallerkner|stole|knive) efter {_WHO}",
    r"\bbraend\w* (huset|lejligheden|hjemmet) (af|ned)\b",
    rf"\b(toe?r|tor) {_NOT} (\w+ )?((gaa|komme|tage|koere|cykle) hjem\b(?! (fra|med))|sove (der)?hjemme"
    r"|vaere (der)?hjemme|lukke op)",
    # sexual abuse
    r"\b(voldtog|voldtaget|voldtaegt|voltaget)\b",
    rf"\bmisbrug(er|te|t)? {_WHO}",
    rf"\b(roe?rer|roe?rte|roe?rt|befamler|befamlede) ved {_WHO}",
    rf"\btvinge\w* (mig|hende|os|{_CHILD}) til (sex|at have sex|seksuel|ting jeg ikke vil|at goere ting)",
    r"\btvunget (mig |hende |os )?til (sex|at have sex|seksuel)",
    r"\b(jeg|vi|min \w+|mit \w+|mine \w+|vores \w+) (er|var|har vaeret|blev|bliver|er blevet) udsat for"
    r" (seksuelle )?(overgreb|incest)",
    # English
    r"\b(hits|beats|hurts|hit|beat|choked|strangled|raped) (me|my|the kids|our)\b",
    r"\b(domestic )?violence at home\b",
    r"\bthreatens? (me|us|my)\b",
    r"\b(threaten\w*|going|wants?|will|tried) to (kill|hurt|beat|strangle|rape)"
    r" (me|us|my|our)\b",
    r"\b(he|dad|stepdad|uncle|boyfriend|husband|father|brother|cousin|man|guy) (\w+ )?(touches|touched|is touching)"
    r" me\b",
]

_CHILD_IN_DANGER = [
    rf"\b(ryste|ryster|rystede|rystet|ruske|rusker|ruskede|rusket) {_CHILD}",
    rf"\b(min|mit|mine|vores) {_KID} (er |blev |er blevet |bliver )(\w+ )?rystet\b(?! (over|af at|i\b))",
    rf"\bgoe(re|r)? {_CHILD} (noget\b(?! (godt|rart|sjovt|saerligt|ekstra|laekkert|dejligt|paent|nyt|varmt|at|til"
    r"|mad|med))|fortraed|ondt)",
    # a parent afraid of, or drawn to, hurting the child; not "bange for at skade barnet hvis jeg løfter forkert"
    rf"\b{_URGE} (at )?(jeg )?(kommer til at )?(skade|skader|slaa|slaar|kvaele|kaste|smide|goere noget (ved|mod))"
    rf" {_CHILD}(?![^.?!]{{0,40}}\b(forkert|uheld|smitte\w*|forkoelelse)\b)",
    rf"\b{_URGE} (at )?(jeg )?(kommer til at )?(miste|mister) (kontrollen|besindelsen|selvkontrollen)\b"
    r"(?! over (?!for\b|mig selv))",
    r"\b(miste|mister|mistede|mistet) (kontrollen|besindelsen|selvkontrollen) (over for|overfor|med) (min|vores"
    r"|hende|ham|babyen|barnet)",
    r"\bbange for mig selv\b",
    r"\bbange for hvad jeg (goer|kan finde paa|kommer til)",
    rf"\bkast\w* {_CHILD} (ind i|mod|paa|ud af) (vaeggen|gulvet|muren|vinduet)",
    rf"\b(haardt|haardhaendet) fat i {_CHILD}",
    rf"\bpude over ({_CHILD}|ansigtet|hovedet)",
    rf"\b(tabe|smide|kaste) {_CHILD}[^.?!]{{0,30}}\bmed vilje\b",
    r"\b(scared|afraid) of myself\b",
    r"\b(shook|grabbed|squeezed) (her|him|my baby|the baby) too hard\b",
    r"\b(shake|shaking|shook|shaken|hurt|hurting) (my|the|our) (baby|child|kid|son|daughter)",
    r"\b(barnet|babyen|boernene) er ikke (i )?sikker",
    r"\bikke passe paa (hende|ham|babyen|barnet) i nat\b",
    r"\bikke (\w+ ){0,3}(er )?(i sikkerhed|tryg|trygt|sikker|sikkert) (der)?hjemme\b",
    r"\b(ikke faaet|ikke spist|ingen) mad i (\d+|to|tre|fire|flere) dage\b",
    rf"\befterlad\w* {_CHILD} alene\b",
    # a small child alone outside: "den lille på 3 år går alene rundt ude på vejen i mørket"
    r"\b(babyen|baby|den lille|lillen|\w+ paa [0-6]( aar| mdr| maaneder)?) (\w+ ){0,3}(gaar|gik|loeber|loeb|sidder|sad"
    r"|staar|stod|er|var) (\w+ )?alene (rundt )?(ude\b(?! i (haven|gaarden)| og leg)|udenfor|paa (vejen|gaden|fortovet"
    r"|parkeringspladsen))",
    r"\b(babyen|baby|\w+ paa [0-5]( aar| mdr| maaneder)?) (er|ligger|sidder|blev|bliver) (\w+ )?alene hjemme\b",
]

# Medical emergencies and poisoning: "Ring 112 nu" comes first for these.
_PILLS = (
    r"(piller|pillerne|tabletter\w*|panodil\w*|pamol\w*|ipren\w*|sovepiller|smertestillende|antidepressiv\w*"
    r"|lykkepiller|sovemedicin)"
)
_MEDICAL_AND_POISONING = [
    rf"\b(traekker|trakker|traeker) {_NOT} (mere )?vejret\b",
    r"\bholdt op med at (traekke|trakke) vejret\b",
    r"\bingen vejrtraekning\b",
    r"\b(not|isnt|is not|stopped) breathing\b",
    r"\bbevidstloes\b",
    r"\bbevidstlos\b",
    r"\bunconscious\b",
    rf"\bkan {_NOT} (faa |fa )?(vaekket|vaekke) ({_CHILD}|min (ven|veninde|kammerat|kaereste|mand|kone|mor|far))"
    r"(?! (om morgenen|til skole|i tide))",
    rf"\b({_CHILD}|han|hun) (er|bliver|blev|ligger) (helt )?(slap|livloes|blaa (i hovedet|i ansigtet|om laeberne))\b"
    r"(?! i (nakken|ryggen|armene|benene|kroppen))",
    r"\bblaa (om )?laeber\w*\b",
    # a baby's colour and breathing: "lillen er blevet grå i huden og stønner ved hver vejrtrækning"
    rf"\b({_CHILD}|han|hun) (er |bliver |blev )?(blevet )?(helt )?(graa|blaa|graablaa|marmoreret|gusten)"
    r" (i huden|i ansigtet|om munden|i hovedet)\b",
    r"\b(stoenner|stoennede|gisper|gispede|piber|pibede) (ved|for|i) (hver|hvert|hvert eneste) (vejrtraekning"
    r"|aandedraet|aandedrag)\b",
    r"\b(besvaeret|anstrengt|stoennende) vejrtraekning\b",
    r"\b(struggling|gasping) (to breathe|for (air|breath))\b",
    # run down in traffic: "er blevet kørt ned på cyklen"
    r"\b(er|blev|er blevet|bliver|har vaeret) (\w+ )?(koert ned|paakoert|ramt af en bil)\b"
    r"(?! (til|i|ad|mod|forbi|efter|hos|for at)\b)",  # not driven down to town
    # a baby or child fighting for breath: "min lille gisper efter luft"
    rf"\b({_CHILD}|han|hun)( \w+){{0,6}} (gisper|gispede|snapper|snappede) efter (luft|vejret)\b",
    r"\b(har|fik|faar|fâr) kramper\b",
    r"\bkrampeanfald\b",
    rf"\b(tabt|tabte|smed|smidt|kastet|kastede) ({_CHILD}) (paa|ned paa|mod) (gulvet|flisegulvet|jorden|trappen)",
    r"\b(bloeder|blodet) (\w+ )?(rigtig |virkelig |helt vildt |saa |voldsomt |kraftigt )?(meget|voldsomt|kraftigt)\b"
    r"(?![^.?!]{0,30}\b(naesen|naeseblod|tandkoed\w*|fingeren|knaeet|tandkoedet)\b)",
    rf"\b(taget|tog|tage|slugt|slugte|sluge|spist|spiste) (lige )?(\d{{2,}}|tyve|tredive|fyrre|halvtreds) (stk\.? )?"
    rf"(af )?(mine |hendes |hans )?{_PILLS}",
    r"\b(drukket|drak|slugt|slugte|spist|spiste|faaet) (\w+ ){0,2}(afloebsrens|klorin|kaustisk soda|opvaskemiddel"
    r"|rengoeringsmiddel|lampeolie|frostvaeske|terpentin|et batteri|knapcellebatteri|gift|rottegift|maskinopvask\w*)",
    r"\b(overdosed?|od'?et|oded)\b",
    rf"\bfor meget (af )?(\w+ )?{_PILLS}\b(?! (mod|om))",
]

# Nowhere to sleep tonight: thrown out, on the street.
_NOWHERE_TO_SLEEP = [
    r"\b(sove|sover|sov|sovet|overnatte) (paa gaden|under (en |aaben )?(bro|himmel)|i (en )?(trappe)?opgang"
    r"|paa en baenk|i et busskur)\b",
    r"\bingen steder? at (sove|bo|overnatte)\b",
    r"\b(intet|ikke noget|uden) tag over hovedet\b",
    r"\b(smidt|smed|smider|sat|satte|kastet|kastede) (mig|os) (ud|paa gaden)\b(?! (af|fra) (klassen|timen"
    r"|undervisningen|spillet|gruppen|chatten|butikken|baren|festen|holdet|banen))",
    r"\b(i nat|i aften|i dag)\b[^.?!]{0,60}\bingen (lejlighed|bolig|seng|sted at (sove|bo))\b",
    r"\bingen (lejlighed|bolig|seng|sted at (sove|bo))\b[^.?!]{0,40}\b(i nat|i aften|i dag)\b",
    r"\b(nowhere|no place) to (sleep|stay|go) tonight\b",
]

_GAMES = (
    r"(skak|ludo|uno|kort|kortspil|\w*spil(let)?|\w*bold|tennis|badminton|bordtennis|padel|matador|yatzy"
    r"|armlaegning|loeb|quiz|trivial|wordfeud|fortnite|fifa|minecraft|finalen|kampen|konkurrencen|\w+ spil)"
)
# Everyday idioms that share words with a danger phrase: blanked out before the search.
_EVERYDAY_IDIOMS = [
    r"\b(det|hvilket|nyheden|beskeden|ulykken|historien|foedslen) (slog|sla{1,2}r|rystede|ryster|har rystet|smadrede)"
    r" (mig|os|hende|ham)\b",
    rf"\b({_HIT}|slaa) (mig|os|dig|ham|hende)( \w+){{0,2}} i {_GAMES}\b",
    r"\b(sla{1,2}\w*|slog) (mig|os|dig|sig) (ned|loes|sammen|til taals)\b",
    # overwhelmed, not hit: "den eksamen slog mig helt ud", "nyheden slår mig ud"
    r"\b(sla{1,2}r|slog|slaaet|slaet) (mig|os|hende|ham) (helt |totalt |fuldstaendig |lidt )?ud\b",
    r"\bjeg (har )?(lige )?(slog|sla{1,2}e?t) mig\b(?! (selv|ihjel))",
    # bumping into furniture: "jeg slår mig altid på det dumme skab"
    r"\bjeg (\w+ )?(sla{1,2}r|slog) mig (altid |tit |ofte |hele tiden |hver gang )?paa (det|den|et|en|hjoernet|kanten"
    r"|skabet|bordet|sofabordet|doerkarmen|sengen|trappen)\b",
    # a parent saying what they would never do: "jeg ville aldrig gøre hende noget"
    rf"\baldrig (\w+ )?goere? {_CHILD} (noget|fortraed|ondt)\b",
    r"\bvi (har )?(slog|sla{1,2}e?t) os\b",
    r"\b((det|den)( her| der)?( [\w-]+)?|arbejdet|jobbet|skolen|studiet|eksamen|varmen|kulden|vejret|traetheden|koeen"
    r"|trafikken) (sla{1,2}r|draeber) (mig|os) ihjel\b",
    r"\b(babyen|baby|barnet|fosteret|den lille|ungen|maven) (sparker|sparkede|sla{1,2}r|slog|bokser) (mig|os)\b",
    rf"\b(min|vores) {_KID} (sparker|sparkede|bokser) (mig|os) i (soevne|sengen|natten)\b",
    rf"\b((min|vores) {_KID}|babyen|barnet) (roerer|rorer|roerte) ved (mig|os)\b",
    r"\b(slaar|slog|sparker|sparkede|bider|bed|skubber|skubbede) (sin|sit|sine) (lillebror|lillesoester|storebror"
    r"|storesoester|bror|soester|soeskende|ven|veninde|kammerat\w*)\b",
    r"\bskub\w* (mig|os|ham|hende) (vaek|til side)\b",
    r"\b(katten|killingen|hunden|hvalpen|babyen|barnet|hun|han) (har )?(ridset|kradset|bidt) (mig|os|hende|ham)\b",
    r"\b(uheld\w*|held\w*|tanken|minderne|sangen|fortiden) (forfoelger|forfulgte) mig\b",
    r"\b(naese\w*|tandkoed\w*|finger\w*|knae\w*|saar\w*|navle\w*) (\w+ )?(bloeder|bloedte) (\w+ )?"
    r"(lidt |meget|voldsomt)",
]


def _union(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


_CLEAR = _union(
    _SUICIDE_AND_SELF_HARM + _VIOLENCE_AND_CONTROL + _CHILD_IN_DANGER + _MEDICAL_AND_POISONING + _NOWHERE_TO_SLEEP
)
_TOPIC = _union(_TOPICS)
_EVERYDAY = _union(_EVERYDAY_IDIOMS)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().translate(_SPELLING))


def without_idioms(text: str) -> str:
    """The normalised text with the everyday idioms blanked out: what the
    phrase search reads, and what the learned score reads
    (bot/shared/danger_model.py), so that "min kæreste slog mig i uno" or "jeg
    slår mig på skabet" do not lend the score the weight that "slog mig" and
    "slår mig" carry in danger."""
    return _EVERYDAY.sub(" ~ ", normalise(text))


def phrase_kind(text: str) -> Literal["clear", "topic"] | None:
    """ "clear": a danger phrase; "topic": only a word that names the topic; None: neither."""
    searched = without_idioms(text)
    if _CLEAR.search(searched):
        return "clear"
    return "topic" if _TOPIC.search(searched) else None


# Marks of a joke or an exaggeration: "min chef slår mig ihjel hvis jeg kommer
# for sent haha", "mandage slår mig ihjel 😂".
_LOOSELY = re.compile(
    r"(\b(haha\w*|hehe\w*|hihi\w*|lol|lmao|xd|jk|for sjov|spoek)\b|[😂🤣😅😆😜🙈🙃]"
    r"|\bhvis (jeg|du|vi|i)\b)"
)


def said_loosely(text: str) -> bool:
    """A longer message with a mark of a joke or an exaggeration ("haha", "😂",
    "… hvis jeg glemmer det"): a danger phrase in it may be an idiom, and the
    learned score, which reads the whole message, decides between the high
    tier and a check-in (bot/shared/danger_model.py)."""
    return len(re.findall(r"\w+", text)) > 5 and bool(_LOOSELY.search(normalise(text)))


# Marks of a message about danger at a distance: the topic read or studied
# ("en dokumentar om vold i hjemmet", "til en opgave", "vi har om selvskade
# på studiet"), or something long over ("for 3 år siden", "da jeg var 15",
# "har det godt nu").
_AT_A_DISTANCE = re.compile(
    r"\b(dokumentar\w*|podcast\w*|artikel|artiklen|foredrag\w*|i (avisen|nyhederne)|(en )?(film|serie) om"
    r"|(til|om) (en|min|vores) opgave|opgave om|skriver (en )?opgave|pensum|undervisning\w*|\w*studiet"
    r"|vi (har|laeser|laerer|skal laese) om|for (\d+|et|to|tre|fire|fem|seks|mange|flere|nogle) aar siden"
    r"|da jeg var (\d+|lille|barn|teenager|ung)|som (teenager|barn)|er ude af det|har det (godt|fint) (nu|i dag)"
    r"|mange aar siden)\b"
)


def said_at_a_distance(text: str) -> bool:
    """A message with a mark of the topic read or studied, or of something
    long over: a danger phrase in it may be about the past or about others, and
    the learned score decides between the high tier and a check-in."""
    return bool(_AT_A_DISTANCE.search(normalise(text)))


def hedged(text: str) -> bool:
    """Said loosely or at a distance: a clear phrase is then at least a
    check-in, and high only when the learned score agrees."""
    return said_loosely(text) or said_at_a_distance(text)


def signals_danger(text: str) -> bool:
    """A danger phrase or a topic word: the floor under the learned score."""
    return phrase_kind(text) is not None
