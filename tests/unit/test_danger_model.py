"""The learned danger score (bot/shared/danger_model.py): the tiers its thresholds
make, the phrase safeguard as a floor, the kinds of danger and the help
each needs, and a model that survives being saved into the trained model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.shared.danger_model import (
    CATEGORIES,
    HARD_NEGATIVE_SHARE,
    HELP_FOR_CATEGORY,
    TOPIC_AT_A_DISTANCE_FLOOR,
    DangerModel,
    Thresholds,
    example_weights,
    is_brief,
    ordinary_pieces,
)
from bot.youth.pairing import new_code
from tests.bench.danger_thresholds import configured_thresholds, short_pieces, trained_model

THRESHOLDS = Thresholds(high=0.6, check_in=0.25)


@pytest.mark.parametrize(
    ("probability", "phrase", "tier"),
    [
        (0.95, False, "high"),
        (0.6, False, "high"),
        (0.59, False, "check_in"),
        (0.25, False, "check_in"),
        (0.24, False, None),
        (0.0, False, None),
        (0.0, True, "high"),
        (0.3, True, "high"),
    ],
)
def test_two_thresholds_make_three_tiers_and_a_phrase_is_always_high(
    probability: float, phrase: bool, tier: str | None
) -> None:
    assert THRESHOLDS.tier(probability, phrase) == tier


@pytest.mark.parametrize(
    ("probability", "tier"), [(0.0, "check_in"), (0.24, "check_in"), (0.25, "high"), (0.9, "high")]
)
def test_a_clear_phrase_said_loosely_is_at_least_a_check_in(probability: float, tier: str) -> None:
    """The score of a longer message has the context to tell "min chef slår mig
    ihjel hvis jeg kommer for sent igen haha" from a threat; the phrase keeps it
    at check-in or above."""
    assert THRESHOLDS.tier(probability, phrase_match=True, loosely=True) == tier


@pytest.mark.parametrize(
    ("text", "loosely"),
    [
        ("min chef slår mig ihjel hvis jeg kommer for sent igen haha", True),
        ("mandage slår mig altså helt ihjel 😂", True),
        ("min kæreste slår mig, mit cpr er [CPR-nummer fjernet]", False),
        ("han slår mig haha", False),
        ("bf slog mig igen lol men det er fint", True),
        ("jeg vil ikke leve mere", False),
    ],
)
def test_what_is_said_loosely(text: str, loosely: bool) -> None:
    from bot.shared.danger import said_loosely

    assert said_loosely(text) is loosely


@pytest.mark.parametrize(
    ("text", "distant"),
    [
        ("hørte en podcast om partnervold i morges, hvor kan man læse mere", True),
        ("min kæreste tævede mig for mange år siden, nu er jeg gift med en sød mand", True),
        ("jeg skriver en opgave om unge der skærer i sig selv", True),
        ("jeg blev slået som barn og vil gerne gøre det bedre med min søn", True),
        ("fik min datter for 2 måneder siden og han slår mig", False),
        ("min eksamen er i morgen og jeg vil ikke leve mere", False),
        ("han slog mig i går og i dag igen", False),
    ],
)
def test_what_is_said_at_a_distance(text: str, distant: bool) -> None:
    """A danger phrase in a message about the topic read or studied, or about
    something long over, is at least a check-in and high only by the score
    (Thresholds.tier's `loosely`)."""
    from bot.shared.danger import hedged, said_at_a_distance

    assert said_at_a_distance(text) is distant
    assert hedged(text) is distant


@pytest.mark.parametrize(
    ("probability", "tier"), [(0.0, "check_in"), (0.24, "check_in"), (0.25, "high"), (0.9, "high")]
)
def test_a_topic_word_alone_is_a_check_in_unless_the_score_says_more(probability: float, tier: str) -> None:
    assert THRESHOLDS.tier(probability, phrase_match=True, topic_only=True) == tier


@pytest.mark.parametrize(
    ("probability", "topic_only", "tier"),
    [
        (0.0, True, None),
        (TOPIC_AT_A_DISTANCE_FLOOR - 0.01, True, None),
        (TOPIC_AT_A_DISTANCE_FLOOR, True, "check_in"),
        (0.3, True, "high"),
        # a clear phrase said at a distance is never nothing
        (0.0, False, "check_in"),
        (0.3, False, "high"),
    ],
)
def test_a_topic_word_said_at_a_distance_needs_some_score_and_a_clear_phrase_none(
    probability: float, topic_only: bool, tier: str | None
) -> None:
    """ "vi læser om selvskade", "en dokumentar om vold i hjemmet": the topic
    named at a distance, where the score hears no danger, is no check-in; a
    clear phrase ("jeg skar i mig selv da jeg var 15") stays one."""
    assert THRESHOLDS.tier(probability, True, topic_only=topic_only, loosely=True, distant=True) == tier


BRIEF = Thresholds(high=0.6, check_in=0.25, check_in_brief=0.4)


@pytest.mark.parametrize(
    ("probability", "brief", "phrase", "tier"),
    [
        (0.3, False, False, "check_in"),
        (0.3, True, False, None),
        (0.4, True, False, "check_in"),
        (0.6, True, False, "high"),
        (0.0, True, True, "high"),
    ],
)
def test_a_brief_message_has_a_check_in_threshold_of_its_own(
    probability: float, brief: bool, phrase: bool, tier: str | None
) -> None:
    assert BRIEF.tier(probability, phrase, brief=brief) == tier


@pytest.mark.parametrize(
    ("text", "brief"),
    [("jeg er dødtræt", False), ("jeg er så dødtræt efter i nat", True), ("ord " * 10, True), ("ord " * 11, False)],
)
def test_what_is_brief(text: str, brief: bool) -> None:
    assert is_brief(text) is brief


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # a topic word with a mark of distance, and a score that hears no danger: nothing
        ("så en dokumentar om selvmord blandt unge", None),
        ("vi læser om selvskade i psykologi", None),
        # a topic word alone is a check-in at least
        ("hvad skal man sige til en der taler om selvmord", "check_in"),
        # a mark of distance does not hide what the score hears
        ("for to år siden prøvede jeg at begå selvmord og nu har jeg de samme tanker igen", "high"),
        ("jeg tænker på selvmord hele tiden", "high"),
        ("jeg har skrevet et afskedsbrev til min mor", "high"),
        ("jeg vil ikke leve mere", "high"),
    ],
)
def test_topic_words_and_clear_phrases(model: DangerModel, text: str, tier: str | None) -> None:
    assert model.assess(text, configured_thresholds()).tier == tier


@pytest.mark.parametrize(
    "text",
    ["står ved togskinnerne lige nu", "sidder helt oppe på taget af skolen", "im standing on the bridge rn"],
)
def test_being_at_a_high_place_or_the_rails_is_at_least_a_check_in(model: DangerModel, text: str) -> None:
    assert model.assess(text, configured_thresholds()).tier in {"check_in", "high"}


@pytest.mark.parametrize(
    ("danger", "everyday"),
    [
        ("jeg har slugt alle mine sovepiller og er så svimmel", "jeg har slugt en hel pizza og er så mæt"),
        (
            "en mand følger efter mig hver aften og står nu uden for min opgang",
            "en mand fulgte efter mig for at give mig min hue",
        ),
        (
            "min kæreste slog mig i nat og nu tør jeg ikke gå hjem",
            "min kæreste slog mig i skak i nat, jeg vil have revanche",
        ),
    ],
)
def test_the_same_words_score_higher_in_danger_than_in_everyday_use(
    model: DangerModel, danger: str, everyday: str
) -> None:
    """The long messages' score reads the words together (the network of the
    blend), not the verb alone: the danger is the emergency answer, the
    everyday sense scores lower and is never more than a check-in. Not yet
    everywhere: "slog mig i skak" is still a check-in, and "har taget en
    masse fotos af ham" is still high ("har taget en masse" weighs more than
    its object in danger's many overdose messages)."""
    thresholds = configured_thresholds()
    high, low = model.assess(danger, thresholds), model.assess(everyday, thresholds)
    assert high.tier == "high" and low.tier != "high"
    assert high.probability > low.probability + 0.2


@pytest.mark.parametrize(
    ("high", "check_in", "brief"),
    [(0.2, 0.5, None), (0.5, 0.0, None), (1.5, 0.5, None), (0.5, -0.1, None), (0.8, 0.4, 0.3), (0.8, 0.4, 0.9)],
)
def test_thresholds_out_of_order_are_refused(high: float, check_in: float, brief: float | None) -> None:
    with pytest.raises(ValueError):
        Thresholds(high=high, check_in=check_in, check_in_brief=brief)


def test_the_configured_thresholds_leave_room_for_a_check_in() -> None:
    configured = configured_thresholds()
    assert 0 < configured.check_in < configured.high < 1
    assert configured.check_in_brief is not None
    assert configured.check_in <= configured.check_in_brief < configured.high


def test_every_kind_of_danger_has_a_help_line_group() -> None:
    assert set(HELP_FOR_CATEGORY) == set(CATEGORIES)
    assert set(HELP_FOR_CATEGORY.values()) == {
        "suicide",
        "medical",
        "poisoning",
        "violence",
        "child",
        "homeless",
        "baby",
    }


def test_a_model_needs_both_classes() -> None:
    with pytest.raises(ValueError):
        DangerModel.train(["hej", "tak"], [False, False], [None, None])


def test_the_hard_negatives_keep_their_share_whatever_the_other_intents_add() -> None:
    """Danger and the rest weigh the same in total; among the rest, the hard
    negatives written for the danger layer keep at least their share when the
    other intents' training data grows (it once cost a false alarm)."""
    for ordinary in (100, 1000, 10000):
        danger, hard = 50, 60
        flags = [True] * danger + [False] * (hard + ordinary)
        written_for_danger = [False] * danger + [True] * hard + [False] * ordinary
        weights = example_weights(flags, written_for_danger)
        total = len(flags)
        assert weights[:danger].sum() == pytest.approx(total / 2)
        assert weights[danger:].sum() == pytest.approx(total / 2)
        share = weights[danger : danger + hard].sum() / weights[danger:].sum()
        assert share == pytest.approx(max(HARD_NEGATIVE_SHARE, hard / (hard + ordinary)))
    # Without hard negatives marked: balanced class weights, as scikit-learn's "balanced".
    plain = example_weights([True, False, False, False])
    assert list(plain) == pytest.approx([2.0, 2 / 3, 2 / 3, 2 / 3])


@pytest.fixture(scope="module")
def model() -> DangerModel:
    return trained_model()


@pytest.mark.parametrize(
    ("text", "help"),
    [
        ("min kæreste har slået mig igen og jeg tør ikke tage hjem", "violence"),
        ("jeg har slugt en masse sovepiller", "poisoning"),
        ("min baby er helt slap og blå om læberne", "medical"),
        ("jeg har tænkt meget på at tage mit eget liv", "suicide"),
        ("jeg har ingen steder at sove i nat, de smed mig ud", "homeless"),
    ],
)
def test_clear_danger_is_high_with_the_help_it_needs(model: DangerModel, text: str, help: str) -> None:
    assessment = model.assess(text, configured_thresholds())
    assert assessment.tier == "high"
    assert assessment.help == help


@pytest.mark.parametrize(
    "text",
    [
        "hvornår starter kurset",
        "tak for hjælpen",
        "hvad koster tandplejen",
        "kan jeg flytte mit møde til fredag",
    ],
)
def test_ordinary_messages_are_not_flagged(model: DangerModel, text: str) -> None:
    assessment = model.assess(text, configured_thresholds())
    assert assessment.tier is None and assessment.help == "general"


# Short everyday answers that the score, trained on long danger messages and
# short examples of the other intents, once read as danger ("og" and "har"
# scored 0.999, "jeg ved ikke" 0.88, a pairing code with "har" in it 0.88).
SHORT_ANSWERS = [
    "og",
    "har",
    "han",
    "ikke",
    "her",
    "mig",
    "nat",
    "ved ikke",
    "jeg ved ikke",
    "jeg kan ikke",
    "han kommer ikke",
    "det ved jeg ikke",
    "jeg har",
    "hun har",
    "og jeg",
    "ikke mig",
    "har ikke hørt noget",
    "hvad så nu",
    "ok tak",
    "ja han kommer også med",
]


@pytest.mark.parametrize("text", SHORT_ANSWERS)
def test_short_everyday_answers_are_not_danger(model: DangerModel, text: str) -> None:
    assert model.assess(text, configured_thresholds()).tier is None


# Measured 2026-12-06 (make bench): 6 of 6,810 runs of 1-5 words of the
# held-out ordinary messages (0.001; 19 before the short head also learned
# three-word runs and slang answers such as "ved ik", and 358, 0.053, without
# a short head at all). Only moves down.
SHORT_PIECES_CEILING = 0.002


def test_short_pieces_of_ordinary_messages_are_seldom_danger(model: DangerModel) -> None:
    thresholds = configured_thresholds()
    pieces = short_pieces()
    flagged = [text for text in pieces if model.assess(text, thresholds).tier]
    assert len(flagged) / len(pieces) <= SHORT_PIECES_CEILING, flagged


def test_pairing_codes_are_not_danger(model: DangerModel) -> None:
    thresholds = configured_thresholds()
    codes = [new_code() for _ in range(3000)]
    # halves that once scored as danger, in the codes as the generator makes them
    codes += [f"{half}-{digits}" for half in ("HAR", "HAN", "NAT", "AND", "SEX", "ENS") for digits in ("7Q9", "2M5")]
    flagged = [
        text
        for code in codes
        for text in (code, code.lower(), f"min kode er {code.lower()}")
        if model.assess(text, thresholds).tier
    ]
    assert flagged == []


@pytest.mark.parametrize(
    "text", ["far slår", "kæresten slår", "baby slap", "overdosis hjælp", "ser ingen udvej", "vil dø", "kms"]
)
def test_short_danger_is_still_caught(model: DangerModel, text: str) -> None:
    assert model.assess(text, configured_thresholds()).tier == "high"


def test_pieces_are_ordinary_words_and_pairs_never_a_danger_phrase() -> None:
    texts = [
        "hvornår starter kurset",
        "hvornår starter det",
        "jeg vil ikke leve mere",
        "kurset starter i nat",
        "i nat er det",
    ]
    pieces = ordinary_pieces(texts, [False, False, True, False, False])
    assert "hvornår starter" in pieces and "starter" in pieces and "i nat" in pieces
    assert "leve" not in pieces and "er" not in pieces  # danger words, and words of one example only
    # "vil dø" is a danger phrase, "vil ikke" is in one example only
    assert ordinary_pieces(["vil dø", "vil dø", "vil ikke"], [False, False, False]) == ["dø", "vil"]


def test_saved_and_loaded_it_scores_the_same(model: DangerModel, tmp_path: Path) -> None:
    path = tmp_path / "danger.pkl"
    model.save(path)
    again = DangerModel.load(path)
    texts = ["jeg vil ikke leve mere", "hvornår åbner sundhedsplejen"]
    assert list(again.probabilities(texts)) == list(model.probabilities(texts))
    assert again.category(texts[0]) == model.category(texts[0])


def test_one_message_scores_as_the_whole_pipeline_does(model: DangerModel) -> None:
    thresholds = configured_thresholds()
    for text in [
        "jeg vil ikke leve mere 😢",
        "hvornår åbner sundhedsplejen",
        "min kaereste slaar mig",
        "ok",
        "🙂",
        "min baby er helt slap og blå",
        "zzz qqq",
    ]:
        assessment = model.assess(text, thresholds)
        assert abs(assessment.probability - float(model.probabilities([text])[0])) < 1e-4
        if assessment.tier:
            assert assessment.category == model.category(text)
