"""The NLU data is the product: enough varied examples, and the held-out
evaluation set never leaks into training."""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.shared.settings import ROOT
from tests.near_duplicates import NearDuplicateIndex

CORE_AND_PARENT_INTENTS = [
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "help",
    "inform",
    "stop",
    "request_human",
    "out_of_scope",
    "enroll_course",
    "ask_course_info",
    "check_enrollment",
    "cancel_enrollment",
]


def examples(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" in block:
            lines = [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip()]
            found.setdefault(block["intent"], []).extend(lines)
    return found


@functools.cache
def training_index() -> NearDuplicateIndex:
    """All training examples, indexed once for the leak checks."""
    return NearDuplicateIndex(line for lines in training().values() for line in lines)


def training() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for intent, lines in examples(path).items():
            merged.setdefault(intent, []).extend(lines)
    return merged


ASCII_SPELLING = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def normalise(text: str) -> str:
    """Compare messages as a user would see them: case, punctuation, emoji and
    æ/ae spellings do not make two messages different."""
    return re.sub(r"[^\w@]+", " ", text.lower().translate(ASCII_SPELLING)).strip()


@pytest.mark.parametrize("intent", CORE_AND_PARENT_INTENTS)
def test_at_least_40_distinct_examples(intent: str) -> None:
    lines = training().get(intent, [])
    assert len({normalise(line) for line in lines}) >= 40, f"{intent}: {len(lines)} examples"


def test_examples_mix_in_real_chat_spelling() -> None:
    every = [line.lower() for lines in training().values() for line in lines]
    ascii_spelling = [line for line in every if re.search(r"(ae|oe|aa)", line) and not re.search("[æøå]", line)]
    english = [line for line in every if re.search(r"\b(the|please|want|course|hello|thanks)\b", line)]
    assert len(ascii_spelling) >= 50 and len(english) >= 30


def test_no_example_in_two_intents() -> None:
    owners: dict[str, set[str]] = {}
    for intent, lines in training().items():
        for line in lines:
            owners.setdefault(normalise(line), set()).add(intent)
    clashes = {text: names for text, names in owners.items() if len(names) > 1}
    assert clashes == {}


EVALUATION_SETS = {
    # used for error analysis while writing the training data, so optimistic
    "dev": ROOT / "tests" / "data" / "nlu_holdout.yml",
    # written by someone who never saw the training data; never used to tune
    "blind": ROOT / "tests" / "data" / "nlu_test.yml",
}


@pytest.mark.parametrize("name", EVALUATION_SETS)
def test_held_out_messages_are_not_in_training(name: str) -> None:
    trained = {normalise(line) for lines in training().values() for line in lines}
    held_out = examples(EVALUATION_SETS[name])
    assert set(held_out) == set(CORE_AND_PARENT_INTENTS)
    leaked = [line for lines in held_out.values() for line in lines if normalise(line) in trained]
    assert leaked == []
    assert min(Counter({k: len(v) for k, v in held_out.items()}).values()) >= 20


def test_the_two_evaluation_sets_do_not_overlap() -> None:
    dev, blind = (
        {normalise(line) for lines in examples(path).values() for line in lines} for path in EVALUATION_SETS.values()
    )
    assert dev & blind == set()


FAQ_TOPICS = [
    "sundhedspleje",
    "tandpleje",
    "familieraadgivning",
    "foraeldrenetvaerk",
    "dagtilbud",
    "efterfoedselsreaktion",
    "underretning",
    "fritidsjob",
    "efterværn",
    "mentor",
    "ungeindsats",
    "kontakt",
]
FOLLOW_UPS = ["ask_price", "ask_location", "ask_opening_hours", "ask_audience", "ask_contact_details", "ask_read_more"]
FAQ_TEST = ROOT / "tests" / "data" / "faq_test.yml"


@pytest.mark.parametrize("intent", [f"faq/{topic}" for topic in FAQ_TOPICS] + FOLLOW_UPS)
def test_at_least_30_distinct_examples_per_service_topic_and_follow_up(intent: str) -> None:
    lines = training().get(intent, [])
    assert len({normalise(line) for line in lines}) >= 30, f"{intent}: {len(lines)} examples"


def test_the_blind_service_questions_are_not_in_training() -> None:
    trained = {normalise(line) for lines in training().values() for line in lines}
    held_out = examples(FAQ_TEST)
    assert set(held_out) == {f"faq/{topic}" for topic in FAQ_TOPICS} | set(FOLLOW_UPS)
    assert [line for lines in held_out.values() for line in lines if normalise(line) in trained] == []


DANGER_CATEGORIES = [
    "suicide",
    "self_harm",
    "overdose",
    "medical",
    "partner_violence",
    "child_abuse",
    "sexual_abuse",
    "stalking_threats",
    "homeless",
    "harm_baby",
    "postnatal_crisis",
]
# Blind (written without seeing the training data) and development sets of the danger layer.
DANGER_SETS = [
    "danger_blind5.yml",
    "danger_blind4.yml",
    "danger_blind3.yml",
    "danger_fresh.yml",
    "danger_test.yml",
    "danger_dev.yml",
    "distress_test.yml",
    "distress_dev.yml",
]


def danger_set_messages(name: str) -> list[str]:
    cases = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    found: list[str] = []
    for part in cases.values():
        for texts in part.values() if isinstance(part, dict) else [part]:
            found.extend(texts)
    return found


@pytest.mark.parametrize("name", DANGER_SETS)
def test_the_danger_sets_are_not_in_training_not_even_nearly(name: str) -> None:
    index = training_index()
    assert index.leaks(danger_set_messages(name)) == []


def conversation_turns() -> list[str]:
    """Every blind conversation set's messages of four words or more (a short answer
    such as "ja tak" is everybody's, in any data)."""
    return [
        turn
        for path in sorted((ROOT / "tests" / "data").glob("conversations_blind*.yml"))
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))
        for turn in conversation["turns"]
        if len(turn.split()) >= 4
    ]


# Training examples written before the blind conversations were (the first
# set 2026-12-06 07:10, the second and third later that day, the fourth
# 2026-12-06 23:20, the fifth 2026-12-07 02:20, the sixth 2026-12-07 17:00, the seventh 17:30,
# the eighth 20:15, the ninth 21:10,
# after the training lines below; each example's first commit checked with
# `git log -S`) that a conversation's writer
# happened to write too, or nearly: common phrases, not leaks. Any other is.
IN_TRAINING_BEFORE_THE_CONVERSATIONS = {
    "vi vil gerne tilmelde os familie med hjerte",
    "det er rigtigt",
    "jeg vil gerne tilmelde mig kurset for foerstegangsforaeldre",
    "det er korrekt",
    "ja aflys det bare",
    "hvad står der i min uddannelsesplan",
    "min kæreste hedder Mads",
    "hvad kan du hjælpe med",
    "when is my next meeting with my mentor",
    "aflys mødet d. 12.",
    "ja det vil jeg gerne",
    "ring til mig",
    "ja det er rigtigt",
    "vil gerne tilmelde mig familie med hjerte 😊",
    "jeg er alene om det",
    "er vi tilmeldt",
    "hvornår kommer sundhedsplejersken på besøg efter fødslen",
    "hvordan søger man vuggestueplads",
    "torsdag kl 14",
    "kan jeg tale med en medarbejder",
    "er du en robot",
    "nej, det er bare mig",
    "jeg vil gerne tilmelde mig selv og min kone til familie med hjerte",
    "hvornaar skal min datter til tandlaege foerste gang",
    "vi snakkede om min lejlighed og mit budget",  # the fifth set (2026-12-07) from here on
    "jeg vil gerne tale med en person",
    "+45 22 33 44 55",  # the sixth set (2026-12-07, evening) from here on: the contract's own phone example
    "det er fint",
    "jeg vil gerne afmelde mig forældrekurset",  # the seventh set (2026-12-07, evening) from here on
    "det er kun mig",
    "Hvornår kommer sundhedsplejersken første gang efter fødslen",
    "kan jeg faa et nyt moede m. min mentor",
    "hvad har jeg af aftaler m. mentor",  # the eighth set (2026-12-07, night) from here on
    "hej jeg har et spørgsmål",  # the ninth set (2026-12-07, night) from here on
    "hvornar skal jeg ses m min mentor igen",
    "jeg skal flytte mit møde",  # the tenth set (2026-12-08) from here on
    "er du en bot",
    "vi vil gerne tilmelde os forældrekurset i Holstebro",  # the eleventh set (2026-12-08) from here on
    "jeg vil melde mig til foraeldrekursus",
}


def test_the_blind_conversations_are_not_in_training_not_even_nearly() -> None:
    index = training_index()
    assert len(conversation_turns()) > 150
    leaks = [(turn, trained) for turn, trained, _ in index.leaks(conversation_turns())]
    assert [leak for leak in leaks if leak[1] not in IN_TRAINING_BEFORE_THE_CONVERSATIONS] == []


def test_a_near_duplicate_is_a_leak() -> None:
    index = NearDuplicateIndex(["jeg har ikke lyst til at leve mere"])
    assert index.leaks(["Jeg har ikke lyst til at leve mere!! 😢", "jeg har ikk lyst til at leve mere"]) != []
    assert len(index.leaks(["Jeg har ikke lyst til at leve mere!! 😢", "jeg har ikk lyst til at leve mere"])) == 2
    assert index.leaks(["hvornår starter kurset"]) == []


def danger_training_by_category() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            category = (block.get("metadata") or {}).get("category")
            if block.get("intent") == "express_distress" and category:
                lines = [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip()]
                found.setdefault(category, []).extend(lines)
    return found


@pytest.mark.parametrize("category", DANGER_CATEGORIES)
def test_at_least_40_examples_per_kind_of_danger(category: str) -> None:
    assert len({normalise(line) for line in danger_training_by_category().get(category, [])}) >= 40


def test_danger_categories_are_the_known_ones() -> None:
    assert set(danger_training_by_category()) == set(DANGER_CATEGORIES)


@pytest.mark.parametrize("name", ["danger_blind3.yml", "danger_fresh.yml", "danger_test.yml"])
def test_the_blind_danger_sets_cover_every_kind(name: str) -> None:
    cases = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    assert set(cases["danger"]) == set(DANGER_CATEGORIES)
    assert sum(len(texts) for texts in cases["danger"].values()) >= 120 and len(cases["not_danger"]) >= 120


YOUTH_INTENTS = [
    "log_meeting",
    "list_meetings",
    "book_meeting",
    "reschedule_meeting",
    "cancel_meeting",
    "update_education",
    "education_status",
    "identify",
    "forget_me",
]
YOUTH_SETS = {"dev": ROOT / "tests" / "data" / "youth_holdout.yml", "blind": ROOT / "tests" / "data" / "youth_test.yml"}


@pytest.mark.parametrize("intent", YOUTH_INTENTS)
def test_at_least_40_fresh_examples_per_youth_intent(intent: str) -> None:
    assert len({normalise(line) for line in training().get(intent, [])}) >= 40


@pytest.mark.parametrize("name", YOUTH_SETS)
def test_youth_evaluation_messages_are_not_in_training(name: str) -> None:
    trained = {normalise(line) for lines in training().values() for line in lines}
    held_out = examples(YOUTH_SETS[name])
    assert set(held_out) == set(YOUTH_INTENTS)
    assert [line for lines in held_out.values() for line in lines if normalise(line) in trained] == []
    assert min(len(lines) for lines in held_out.values()) >= 15


# Written from the conversation contract alone (2026-12-06, the second and
# the third sets, by two different writers; the fourth and the fifth 2026-12-07, by a third
# and a fourth; the fifth kept from the helper who added training data that day; the sixth 2026-12-07 by a fifth,
# while the fifth batch of training data was written by another; the seventh the same day by a sixth, while
# the sixth batch was written; the eighth to the eleventh the same day by others, each kept from the data and
# from each other); checked for near-duplicates of
# training, not only copies: a message the index finds near a training example
# was taken out of the set before the set was first measured, so short
# intents (greet, affirm, thank) keep fewer messages than the 30 written. The
# third set's writer left out the intents the contract does not list for
# users to send (identify, forget_me) and added the privacy and concern ones.
BLIND_SETS = {
    "parents 2": (ROOT / "tests" / "data" / "nlu_blind2.yml", CORE_AND_PARENT_INTENTS),
    "young people 2": (ROOT / "tests" / "data" / "youth_blind2.yml", YOUTH_INTENTS),
    **{
        name: (ROOT / "tests" / "data" / f"{prefix}{n}.yml", intents)
        for n in range(3, 13)
        for name, prefix, intents in (
            (f"parents {n}", "nlu_blind", [*CORE_AND_PARENT_INTENTS, "report_concern", "my_data", "delete_my_data"]),
            (
                f"young people {n}",
                "youth_blind",
                [intent for intent in YOUTH_INTENTS if intent not in ("identify", "forget_me")],
            ),
        )
    },
}


@pytest.mark.parametrize("name", BLIND_SETS)
def test_the_later_blind_sets_are_not_in_training_not_even_nearly(name: str) -> None:
    path, intents = BLIND_SETS[name]
    held_out = examples(path)
    assert set(held_out) == set(intents)
    assert min(len(lines) for lines in held_out.values()) >= 9
    index = training_index()
    assert index.leaks([line for lines in held_out.values() for line in lines]) == []


def test_youth_examples_read_like_young_people_write() -> None:
    lines = [line for intent in YOUTH_INTENTS for line in training()[intent]]
    lowercase = [line for line in lines if line == line.lower()]
    abbreviations = [line for line in lines if re.search(r"\b(m\.|imorgen|idag|igår|pls|ik|hf'en)", line.lower())]
    assert len(lowercase) >= len(lines) * 0.6 and len(abbreviations) >= 30


def test_programme_and_institution_annotations_are_in_the_lookup_tables() -> None:
    text = (ROOT / "data" / "nlu" / "youth.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lookups = {
        block["lookup"]: {line.strip()[2:].strip().lower() for line in block["examples"].splitlines() if line.strip()}
        for block in data["nlu"]
        if "lookup" in block
    }
    annotated = re.findall(r"\[([^\]]+)\]\((programme|institution)\)", text)
    assert len(annotated) >= 40
    assert [value for value, entity in annotated if value.lower() not in lookups[entity]] == []
