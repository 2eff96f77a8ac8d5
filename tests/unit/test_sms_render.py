"""Texts as SMS: markdown removed, links written out, buttons as numbered
choices and read back, long texts split; numbers and conversation ids."""

from __future__ import annotations

from bot.shared.clock import DANISH_TIME
from bot.shared.municipality import Texts
from bot.sms.numbers import conversation_id_for, normalize, shown
from bot.sms.render import answered_payload, is_start, is_stop, parts, plain, render, split

YES_NO = [("Ja", "/affirm"), ("Nej", "/deny")]


def test_markdown_is_removed_and_links_written_out() -> None:
    text = (
        "**Husk** dit møde. Læs [mere her](https://kommune.dk/unge) eller ring [70 10 20 30](tel:70102030).\n"
        "- *et* punkt"
    )
    assert plain(text) == ("Husk dit møde. Læs mere her (https://kommune.dk/unge) eller ring 70 10 20 30.\n- et punkt")
    assert (
        plain("[https://kommune.dk](https://kommune.dk) og [a@b.dk](mailto:a@b.dk)") == "https://kommune.dk og a@b.dk"
    )
    assert plain("snake_case_name og 2*3*4") == "snake_case_name og 2*3*4"


def test_buttons_become_numbered_choices() -> None:
    assert render("Skal jeg gemme det?", YES_NO) == "Skal jeg gemme det?\n\nSvar 1 for Ja eller 2 for Nej."
    assert render("Vælg", [("A", "/a")]) == "Vælg\n\nSvar 1 for A."


def test_answers_name_only_the_offered_buttons() -> None:
    assert answered_payload("2", YES_NO) == "/deny"
    assert answered_payload(" 1. ", YES_NO) == "/affirm"
    assert answered_payload("Ja!", YES_NO) == "/affirm"
    assert answered_payload("nej", YES_NO) == "/deny"
    assert answered_payload("3", YES_NO) is None
    assert answered_payload("0", YES_NO) is None
    assert answered_payload("ja tak, gerne i morgen", YES_NO) is None  # a sentence is read by the assistant
    assert answered_payload("1", []) is None


def test_stop_and_start() -> None:
    assert all(is_stop(word) for word in ("STOP", "stop", "Stop sms", "afmeld", "AFMELD."))
    assert not is_stop("stop med at skrive om mødet")
    assert is_start("START") and is_start("start sms") and not is_start("starte")


def test_long_texts_are_split_between_sentences_within_the_part_limit() -> None:
    sentence = "Dette er en sætning om dit møde med din mentor i næste uge. "
    text = sentence * 40  # about 2,400 characters
    messages = split(text)
    assert len(messages) == 3
    assert all(parts(message) <= 6 for message in messages)
    assert all(message.endswith(".") for message in messages)
    assert " ".join(messages) == text.strip()
    assert parts("a" * 160) == 1 and parts("a" * 161) == 2 and parts("😀" * 70) == 1 and parts("😀" * 71) == 2
    assert split("kort") == ["kort"]


def test_numbers_and_conversation_ids() -> None:
    assert normalize("+45 20 00 00 01") == normalize("20000001") == normalize("0045-2000 0001") == "4520000001"
    assert normalize("hej") is None and normalize("123") is None
    assert shown("4520000001") == "+45 20 00 00 01"
    conversation = conversation_id_for("4520000001", "key")
    assert conversation.startswith("sms-") and "20000001" not in conversation
    assert conversation != conversation_id_for("4520000001", "another key")


def test_quiet_hours_over_midnight() -> None:
    from datetime import datetime

    quiet = Texts(21, 8).quiet
    assert quiet(datetime(2026, 12, 1, 21, 0, tzinfo=DANISH_TIME))
    assert quiet(datetime(2026, 12, 1, 7, 59, tzinfo=DANISH_TIME))
    assert not quiet(datetime(2026, 12, 1, 8, 0, tzinfo=DANISH_TIME))
    assert not quiet(datetime(2026, 12, 1, 20, 59, tzinfo=DANISH_TIME))
