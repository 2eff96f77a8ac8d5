"""A young person's education through the actions, on real SQLite and
PostgreSQL: changes read from what people write, saved as soon as the change
and the programme are known (the day said back), and stopping an education
recorded with a talk offered."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.common import pressed_a_button
from actions.education import (
    ActionSaveEducation,
    ActionShowEducation,
    ValidateEducationForm,
    education_day,
    programme_switch,
    read_kind,
)
from actions.youth_forms import local_today
from bot.db.education import record_education
from bot.db.youth import bind
from bot.db.youth_models import EducationEvent
from tests.actions.youth_helpers import extract, run, tracker, young
from tests.helpers import make_tracker, responses

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jeg er startet på hf", "started"),
        ("er stoppet på tømreruddannelsen", "stopped"),
        ("har droppet ud af fgu", "stopped"),
        ("holder pause fra stx", "paused"),
        ("har fået svendebrev", "finished"),
        ("har skiftet til eux", "changed"),
        ("er hoppet af htx, det blev for meget", "stopped"),
        ("meldte mig ud af gymnasiet", "stopped"),
        ("hej", None),
        # In English too
        ("I start at STU now, from 1 april", "started"),
        ("I dropped out of hf", "stopped"),
        ("I finished my apprenticeship", "finished"),
    ],
)
def test_education_changes_are_read(text: str, kind: str | None) -> None:
    assert read_kind(text) == kind


def test_stopping_an_education_is_recorded_and_offers_a_talk(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    record_education(session, mikkel, kind="started", programme="hf", institution="VUC", occurred_on=date(2026, 8, 1))
    session.commit()
    form = ValidateEducationForm()
    start = tracker(
        "conv-m", "jeg er stoppet på hf", "update_education", entities=[{"entity": "programme", "value": "hf"}]
    )
    assert extract(form, "education_kind", start) == {"education_kind": "stopped"}
    assert extract(form, "education_programme", start) == {"education_programme": "hf"}
    assert form.slots_needed(start) == ["education_kind", "education_programme"]  # no final yes
    dispatcher, events = run(
        ActionSaveEducation(),
        tracker(
            "conv-m",
            "jeg er stoppet på hf",
            "update_education",
            slots={"education_kind": "stopped", "education_programme": "hf"},
        ),
    )
    assert responses(dispatcher) == ["utter_education_saved", "utter_education_stopped_offer"]
    assert dispatcher.messages[0]["when"] == "i dag, onsdag 25. november"  # no day told: today, said so
    assert dispatcher.messages[1]["unit_phone"] == "70 10 20 36"
    [remembered] = [e["value"] for e in events if e.get("name") == "youth_last_save"]
    assert (remembered["before"], remembered["after"], remembered["offer"]) == (["hf", "VUC"], [None, None], True)
    session.expire_all()
    events = session.scalars(select(EducationEvent).order_by(EducationEvent.id)).all()
    assert [(e.kind, e.programme, e.institution) for e in events] == [
        ("started", "hf", "VUC"),
        ("stopped", "hf", "VUC"),
    ]
    dispatcher, _ = run(ActionShowEducation(), tracker("conv-m", "hvordan ser min plan ud", "education_status"))
    assert "ingen uddannelse registreret" in dispatcher.messages[0]["current"]


@pytest.mark.parametrize(
    ("text", "intent", "pressed", "kind"),
    [
        ("stoppet", "stop", True, "stopped"),  # the button "Stoppet": NLU reads the payload as stop
        ("færdig", "goodbye", True, "finished"),
        ("stop", "stop", False, None),  # typed, no button says it: the form's stop rule runs
        ("jeg vil stoppe det her", "stop", False, None),
    ],
)
def test_a_button_of_the_question_is_its_answer_whatever_nlu_reads(
    session: Session, domain: dict[str, Any], text: str, intent: str, pressed: bool, kind: str | None
) -> None:
    bind(session, "conv-b", young(session, "UNG-B", "Bo", "Sanne").id, "pairing")
    session.commit()
    buttons = domain["responses"]["utter_ask_education_kind"][0]["buttons"]
    events = [
        {"event": "bot", "text": "Hvad er der sket med din uddannelse?", "data": {"buttons": buttons}},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
    ]
    asked = make_tracker(
        slots={"requested_slot": "education_kind"},
        sender_id="conv-b",
        text=text,
        intent=intent,
        events=events,
        active_loop="education_form",
    )
    assert pressed_a_button(asked) is pressed
    found = asyncio.run(ValidateEducationForm().get_extraction_events(CollectingDispatcher(), asked, domain))
    filled = {e["name"]: e["value"] for e in found if e.get("event") == "slot"}
    assert filled.get("education_kind") == kind


def test_an_intent_button_is_not_taken_for_the_answer(session: Session, domain: dict[str, Any]) -> None:
    """ "Læs mere" after a service answer in the middle of the form sends
    /ask_read_more: the form's rule for it runs, the form takes nothing."""
    bind(session, "conv-r", young(session, "UNG-R", "Rune", "Sanne").id, "pairing")
    session.commit()
    events = [
        {"event": "bot", "text": "…", "data": {"buttons": [{"title": "Læs mere", "payload": "/ask_read_more"}]}},
        {"event": "user", "text": "/ask_read_more", "parse_data": {"intent": {"name": "ask_read_more"}}},
    ]
    asked = make_tracker(
        slots={"requested_slot": "education_programme", "education_kind": "started"},
        sender_id="conv-r",
        text="/ask_read_more",
        intent="ask_read_more",
        events=events,
        active_loop="education_form",
    )
    assert pressed_a_button(asked) is False
    assert asyncio.run(ValidateEducationForm().get_extraction_events(CollectingDispatcher(), asked, domain)) == []


def test_danger_is_never_an_answer_even_as_a_button_text(session: Session, domain: dict[str, Any]) -> None:
    bind(session, "conv-d", young(session, "UNG-D", "Dina", "Sanne").id, "pairing")
    session.commit()
    events = [
        {"event": "bot", "text": "?", "data": {"buttons": [{"title": "Stoppet", "payload": "stoppet"}]}},
        {"event": "user", "text": "stoppet", "parse_data": {"intent": {"name": "express_distress"}}},
    ]
    asked = make_tracker(
        slots={"requested_slot": "education_kind"},
        sender_id="conv-d",
        text="stoppet",
        intent="express_distress",
        events=events,
        active_loop="education_form",
    )
    assert asyncio.run(ValidateEducationForm().get_extraction_events(CollectingDispatcher(), asked, domain)) == []


def programmes(text: str, *names: str) -> list[dict[str, Any]]:
    """The programme entities NLU finds, with their positions."""
    return [
        {"entity": "programme", "value": name, "start": text.index(name), "end": text.index(name) + len(name)}
        for name in names
    ]


@pytest.mark.parametrize(
    ("text", "begun", "left"),
    [
        ("hej, jeg er droppet ud af stx og er startet på fgu i stedet", "fgu", "stx"),
        ("er startet på fgu efter jeg droppede stx", "fgu", "stx"),
        ("skiftet fra hf til eux", "eux", "hf"),
        ("stoppet på tømrer, går nu på hf", "hf", "tømrer"),
        ("Jeg stopper gymnasium stx. Jeg begyndte fgu i mandags.", "fgu", "stx"),  # a word between
    ],
)
def test_a_switch_told_in_one_message_is_a_change_to_the_programme_begun(
    session: Session, text: str, begun: str, left: str
) -> None:
    sara = young(session, "UNG-S", "Sara", "Ole")
    bind(session, "conv-s", sara.id, "pairing")
    session.commit()
    form = ValidateEducationForm()
    entities = programmes(text, begun, left)
    start = tracker("conv-s", text, "update_education", entities=entities)
    assert extract(form, "education_kind", start) == {"education_kind": "changed"}
    assert extract(form, "education_programme", start) == {"education_programme": begun}
    told = {"event": "user", "text": text, "parse_data": {"intent": {"name": "update_education"}, "entities": entities}}
    confirm = tracker(
        "conv-s",
        text,
        "update_education",
        slots={"education_kind": "changed", "education_programme": begun},
    )
    confirm.events[:0] = [told, {"event": "active_loop", "name": "education_form"}]
    dispatcher, _ = run(ActionSaveEducation(), confirm)
    assert responses(dispatcher)[0] == "utter_education_saved"
    session.expire_all()
    stored = session.scalars(select(EducationEvent)).one()
    assert (stored.kind, stored.programme, stored.note) == ("changed", begun, f"skiftet fra {left}")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("har droppet ud af fgu", ("fgu",)),
        ("jeg går på hf og min ven går på stx", ("hf", "stx")),  # two named, neither left
    ],
)
def test_one_programme_or_none_left_is_no_switch(text: str, names: tuple[str, ...]) -> None:
    assert programme_switch({"text": text, "entities": programmes(text, *names)}) is None


def test_a_programme_written_without_its_letters_is_read_and_a_day_is_no_programme() -> None:
    form = ValidateEducationForm()
    start = tracker("conv-t", "HZ4-R5B er stoppet paa toemreruddannelsen", "update_education")
    assert extract(form, "education_programme", start) == {"education_programme": "tømrer"}
    asked = tracker("conv-t", "stoppede i fredags", "update_education", slots={"requested_slot": "education_programme"})
    assert extract(form, "education_programme", asked) == {"education_programme": "?"}
    named = tracker("conv-t", "det er hf på vuc", "inform", slots={"requested_slot": "education_programme"})
    assert extract(form, "education_programme", named) == {"education_programme": "det er hf på vuc"}


def test_the_answer_to_what_happened_also_names_the_programme_and_a_yes_names_none() -> None:
    form = ValidateEducationForm()
    kind_asked = {"requested_slot": "education_kind"}
    told = tracker(
        "conv-k", "er begyndt på fgu i mandags 🙌", "update_education", slots=kind_asked,
        entities=[{"entity": "programme", "value": "fgu"}],
    )  # fmt: skip
    assert extract(form, "education_kind", told) == {"education_kind": "started"}
    assert extract(form, "education_programme", told) == {"education_programme": "fgu"}
    in_words = tracker("conv-k", "er stoppet paa toemreruddannelsen", "update_education", slots=kind_asked)
    assert extract(form, "education_programme", in_words) == {"education_programme": "tømrer"}
    # Asked which programme, a bare yes or an emoji is no programme's name: asked again.
    programme_asked = {"requested_slot": "education_programme"}
    for answer in ("jep", "ja!", "ok 👍", "👍"):
        said = tracker("conv-k", answer, "affirm", slots=programme_asked)
        assert extract(form, "education_programme", said) == {"education_programme": "?"}, answer


def test_a_change_told_in_the_past_is_dated_in_the_past_even_with_a_present_stop() -> None:
    text = "Jeg stopper gymnasium stx. Jeg begyndte FGU 6 september."
    told = tracker("conv-p", text, "update_education")
    told.events.insert(0, {"event": "active_loop", "name": "education_form"})
    day = education_day(told)
    assert day is not None and day <= local_today()
