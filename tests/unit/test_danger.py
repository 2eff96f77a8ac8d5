"""The danger safeguard next to the classifier: the contract's examples and
clear phrases match, everyday words that share a stem do not, and its share
on the development set (tests/data/distress_dev.yml) does not fall. Its
recall on the blind set is printed by `make bench`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.shared.cpr import contains_cpr
from bot.shared.danger import phrase_kind, signals_danger, without_idioms
from tests.test_nlu_data import normalise, training

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "distress_dev.yml"
# The share of the dev set's danger messages the safeguard caught when it was
# last tuned (77 of 80), rounded down; raise it when the safeguard gets better.
DEV_RECALL_PERCENT = 96


@pytest.mark.parametrize(
    "text",
    [
        "min kæreste slår mig",
        "jeg orker ikke at leve mere",
        "han truer med at slå mig",
        "jeg er bange for at jeg gør min baby noget",
        "jeg får lyst til at ryste ham",
        "min mand ryster babyen",
        "vil ikke være her mere",
        "jeg har lyst til at skade mig selv",
        "jeg tænker på selvmord",
        "jeg vil tage mit eget liv",
        "I want to die",
        "my boyfriend hits me",
        "min kaereste slaar mig igen",
    ],
)
def test_clear_danger_matches(text: str) -> None:
    assert signals_danger(text)


# Written independently of the dev set: partner violence, threats, sexual abuse, a child shaken or hit, a parent
# afraid of hurting the baby, suicide and self-harm; no-æøå spelling, slang, typos and English.
@pytest.mark.parametrize(
    "text",
    [
        "min kæreste truede med at stikke mig ned",
        "nogle gange vil jeg bare dø",
        "alle ville have det bedre uden mig",
        "han siger han slår mig ihjel",
        "min stedfar misbruger mig",
        "min træner rører ved mig og jeg kan ikke lide det",
        "min mand låser mig inde i soveværelset",
        "jeg er bange for at ryste babyen",
        "kan ikke mere og vil ikke vaere her",
        "I'm going to kill myself",
        "min kæreste kvalte mig næsten i går",
        "jeg vil slå mig selv ihjel",
        "min eks har voldtaget mig",
        "min baby er blevet rystet af hendes far",
        "han har sparket mig i maven mens jeg er gravid",
        "jeg tager alle pillerne i nat",
        "my dad beats me when he's drunk",
        "min mand bankede vores søn i går",
        "livet er ikke værd at leve",
        "jeg har lyst til at gøre skade på mig selv",
        "jeg skærer i mig selv når det bliver for meget",
        "min kæreste tvinger mig til sex når han er fuld",
        "jeg har lyst til at kvæle hende når hun skriger",
        "min far taesker min lillebror",
        "vil gerne doe",
        "ville ønske jeg var død",
        "min kæreste truer med at dræbe mig",
        "i dont want to live anymore",
        "min søn er blevet slået af sin far",
        "vi tør ikke tage hjem, han er helt vild",
        "han har tævet mig",
        "jeg har skåret mig selv",
        "det er bedst for alle hvis jeg dør",
        "idk man vil bare ik vaere her mere",
        "hjælp mig han slår og slår",
    ],
)
def test_danger_phrases_match(text: str) -> None:
    assert signals_danger(text)


@pytest.mark.parametrize(
    "text",
    [
        "jeg slår lige op hvornår kurset er",
        "han slår græsset",
        "jeg er død træt",
        "dræber mig den her kø",
        "min søn slog hovedet, skal vi til lægen",
        "jeg ryster af kulde",
        "jeg er bange for at komme for sent",
        "hvordan laver man en underretning",
        "jeg har været lidt ked af det efter fødslen",
    ],
)
def test_everyday_words_do_not(text: str) -> None:
    assert not signals_danger(text)


# Everyday phrases that share a danger phrase's words: idioms, games, a toddler's kicks, health questions.
@pytest.mark.parametrize(
    "text",
    [
        "han slår græsset hver lørdag",
        "jeg er død træt i dag",
        "hun slår op med ham",
        "babyen græder hele tiden og jeg er så træt",
        "min mand slår græsset mens babyen sover",
        "det dræber mig at vente i telefonkø",
        "vi slog os ned i Holstebro sidste år",
        "kan det skade babyen at jeg tager panodil",
        "min far slår mig altid i skak",
        "jeg kan ikke leve uden min kaffe",
        "det rystede mig at se prisen",
        "jeg ryster barnevognen for at få hende til at sove",
        "jeg vil ikke være her til mødet på fredag",
        "min datter sparker mig i søvne",
        "hvordan underretter jeg om et barn jeg er bekymret for",
        "I'm so tired I could die",
        "jeg er ved at dø af varme",
        "det her job slår mig ihjel haha",
        "kan man ryste en flaske med modermælkserstatning",
        "vi slog rekord i gåture i weekenden",
        "min kæreste er bange for at holde babyen forkert",
        "hvad gør jeg hvis mit barn slår andre børn i børnehaven",
        "en pige i min datters klasse bliver slået derhjemme, hvad gør jeg",
        "jeg dræber lige tiden med en podcast",
        "my baby keeps kicking me in bed",
        "det var dræbende kedeligt",
        "vil ikke være her i weekenden, vi er hos svigermor",
        "jeg er bange for at miste kontrollen over økonomien nu vi er på barsel",
        "jeg slog mig på sofabordet",
        "jeg blev slået af hvor stor hun var blevet",
        "nøglerne er låst inde i bilen",
        "min søn er 3, hvad gør jeg når han slår?",
        "det gør mig ondt at høre",
        "katten har ridset mig igen",
        "jeg er blevet rystet over prisen på bleer",
        "min søn skubber mig væk når jeg vil kramme",
        "jeg tager piller mod hovedpine, må jeg amme",
        "jeg er bange for at skade barnet hvis jeg løfter forkert",
        "jeg slår mig tit på hjørnet af sofabordet",
        "det her ferie-puslespil slår mig ihjel",
        "jeg ville aldrig gøre min søn noget, jeg er bare så træt",
    ],
)
def test_everyday_phrases_do_not_match(text: str) -> None:
    assert not signals_danger(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # violence named as a topic is a topic word: the score and the marks of distance decide
        ("hvad gør kommunen for kvinder der er udsat for vold", "topic"),
        ("hørte et foredrag om vold i hjemmet", "topic"),
        # said of oneself or one's own, it is a clear phrase
        ("jeg er udsat for vold", "clear"),
        ("min datter er blevet udsat for vold", "clear"),
        ("der er vold i hjemmet", "clear"),
        ("jeg lever i et voldeligt forhold", "clear"),
        # an idiom blanked out does not hide a danger phrase next to it
        ("jeg slår mig tit på bordet, og han slår mig når han er fuld", "clear"),
        ("jeg ville aldrig gøre hende noget, men min kæreste ryster hende", "clear"),
    ],
)
def test_violence_as_a_topic_and_said_of_oneself(text: str, kind: str) -> None:
    assert phrase_kind(text) == kind


def test_the_learned_score_reads_the_text_without_the_everyday_idioms() -> None:
    assert "slog mig" not in without_idioms("min kæreste slog mig i uno igen")
    assert "slog mig" not in without_idioms("prøven slog mig totalt ud, men nu er det overstået")
    assert phrase_kind("prøven slog mig totalt ud, men nu er det overstået") is None
    assert "slog mig" in without_idioms("min kæreste slog mig i nat")


def dev_set() -> dict[str, list[str]]:
    return yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))


def test_the_dev_set_share_holds_without_false_alarms() -> None:
    cases = dev_set()
    caught = [text for text in cases["distress"] if signals_danger(text)]
    false_alarms = [text for text in cases["not_distress"] if signals_danger(text)]
    missed = [text for text in cases["distress"] if text not in caught]
    assert 100 * len(caught) // len(cases["distress"]) >= DEV_RECALL_PERCENT, missed
    assert false_alarms == []


def test_the_dev_set_is_sizeable_cpr_free_and_not_trained_on() -> None:
    cases = dev_set()
    assert len(cases["distress"]) >= 60 and len(cases["not_distress"]) >= 60
    every = cases["distress"] + cases["not_distress"]
    assert len({normalise(text) for text in every}) == len(every)
    assert [text for text in every if contains_cpr(text)] == []
    trained = {normalise(line) for lines in training().values() for line in lines}
    assert [text for text in every if normalise(text) in trained] == []


# The medical emergencies and poisonings the issue named (not breathing, unconscious, a limp or blue baby,
# a baby dropped, a number of pills, a household poison), written for this test.
@pytest.mark.parametrize(
    "text",
    [
        "min ven har taget et eller andet og han trækker ikke vejret",
        "hjælp han trækker ik vejret",
        "min baby er helt slap",
        "babyen er blå om læberne",
        "han er bevidstløs",
        "jeg kan ikke vække hende",
        "min søn har drukket afløbsrens",
        "har taget 20 panodil",
        "hun fik kramper",
        "jeg tabte babyen på gulvet",
        "jeg bløder rigtig meget og er gravid i uge 30",
        "min datter har slugt et knapcellebatteri",
        "my friend is not breathing",
        # inside a question about something else, and "for" an hour ago, not for a pain
        "er der åbent i weekenden? forresten har jeg slugt alle mine lykkepiller for en halv time siden",
        "har taget en hel æske af min sovemedicin",
        "vores søn på 2 måneder snapper efter vejret",
    ],
)
def test_medical_emergencies_and_poisoning_match(text: str) -> None:
    assert signals_danger(text)


@pytest.mark.parametrize(
    "text",
    [
        "babyen vågner ikke om natten for at spise",
        "min næse bløder meget",
        "jeg har slået knæet og det bløder lidt",
        "hvor mange panodil må jeg tage",
        "kan jeg tage 2 panodil mod hovedpine",
        "babyen trækker vejret hurtigt når hun sover, er det normalt",
        "min baby er slap i nakken stadig, er det normalt",
        "jeg kan ikke få vækket min kæreste om morgenen haha",
        "har fået en overdosis af kaffe i dag",
        "jeg tager mine antidepressive hver morgen",
        "tog mange piller for hovedpine",
        "jeg gisper efter luft efter løbeturen",
    ],
)
def test_everyday_health_questions_do_not(text: str) -> None:
    assert not signals_danger(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # written for the fifth danger set's misses, in other words than the set's
        ("jeg skar mig igen i nat, meget dybere end sidst", "clear"),
        ("vores lillen er helt grå i ansigtet og pibede ved hvert åndedræt", "clear"),
        ("han har besværet vejrtrækning og er slap", "clear"),
        ("den lille på 2 år stod alene ude på parkeringspladsen, ingen voksne", "clear"),
        ("der hang en død fugl i min postkasse", "clear"),
        ("nogen skrev på min dør: næste gang er det dig", "clear"),
        ("min stedfar har smidt mig ud, jeg har ingen steder at sove", "clear"),
        ("jeg skal sove i en opgang i nat", "clear"),
        ("barnet havde brændemærker på armen", "topic"),
        # the contrasts
        ("jeg skar mig på kniven da jeg skar løg", None),
        ("næste gang er det dig der tager kage med", None),
        ("blev smidt ud af timen i dag haha", None),
        ("vi har ingen lejlighed endnu, vi bor hos mine forældre", None),
        ("lillen går alene ude i haven og leger", None),
        ("min lille er grå og træt om morgenen", None),
    ],
)
def test_the_fifth_sets_kinds_of_danger_and_their_contrasts(text: str, kind: str | None) -> None:
    assert phrase_kind(text) == kind
