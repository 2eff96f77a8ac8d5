"""The satisfaction offer after an enrolment is saved (actions/satisfaction.py),
on real SQLite and PostgreSQL: written in the enrolment's transaction, sent
after the commit, only in the widget."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.enrollment import ActionSubmitEnrollment
from bot.db.models import CourseEnrollment, CourseTeam
from bot.db.satisfaction import nonce_hash
from bot.db.satisfaction_models import SatisfactionOffer
from tests.actions.test_enrollment_submit import filled_form
from tests.helpers import make_tracker, responses


def submit(slots: dict[str, Any], domain: dict[str, Any], channel: str | None) -> CollectingDispatcher:
    events = [{"event": "user", "text": "ja", "input_channel": channel, "parse_data": {}}] if channel else []
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots, events=events)
    asyncio.run(ActionSubmitEnrollment().run(dispatcher, tracker, domain))
    return dispatcher


def test_an_enrolment_in_the_widget_offers_the_question_after_the_saved_message(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    dispatcher = submit(filled_form(teams[0], due_in_three_months), domain, "socketio")
    assert responses(dispatcher) == ["utter_enrollment_saved", "utter_satisfaction_offer"]
    nonce = dispatcher.messages[1]["satisfaction_offer"]
    offer = session.scalars(select(SatisfactionOffer)).one()
    assert offer.nonce_hash == nonce_hash(nonce) and nonce not in offer.nonce_hash
    assert (offer.goal, offer.team, offer.channel, offer.used_at) == ("enrollment", "course", "socketio", None)
    assert session.scalars(select(CourseEnrollment)).one() is not None
    # The response the widget gets names the offer (domain/core.yml).
    custom = domain["responses"]["utter_satisfaction_offer"][0]["custom"]
    assert custom["data"]["satisfaction"]["offer"] == "{satisfaction_offer}"


def test_no_offer_by_text_or_on_another_channel(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    for channel in ("sms", "rest", None):
        dispatcher = submit(
            filled_form(teams[0], due_in_three_months, contact_email=f"{channel}@example.dk"), domain, channel
        )
        assert responses(dispatcher) == ["utter_enrollment_saved"], channel
    assert session.scalars(select(SatisfactionOffer)).all() == []


def test_no_offer_when_nothing_was_saved(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    dispatcher = submit(filled_form(teams[0], due_in_three_months, team_code="no-such-team"), domain, "socketio")
    assert "utter_satisfaction_offer" not in responses(dispatcher)
    dispatcher = submit(filled_form(teams[0], due_in_three_months, consent=False), domain, "socketio")
    assert responses(dispatcher) == ["utter_enrollment_not_saved"]
    assert session.scalars(select(SatisfactionOffer)).all() == []


def education_saved(sender: str, earlier: list[dict[str, Any]] | None = None) -> CollectingDispatcher:
    from rasa_sdk import Tracker

    from actions.education import ActionSaveEducation

    events = [*(earlier or []), {"event": "user", "text": "ja", "input_channel": "socketio", "parse_data": {}}]
    slots = {"education_kind": "started", "education_programme": "hf", "youth_confirm": True}
    latest = {"text": "ja", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    tracker = Tracker(sender, slots, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSaveEducation().run(dispatcher, tracker, {}))
    return dispatcher


@pytest.mark.usefixtures("fixed_youth_clock")
def test_a_young_persons_saved_change_offers_the_question_once_a_conversation(session: Session) -> None:
    from bot.db.youth import bind
    from tests.actions.youth_helpers import young

    sara = young(session, "UNG-S", "Sara", "Lene")
    bind(session, "conv-s", sara.id, "pairing")
    session.commit()
    dispatcher = education_saved("conv-s")
    assert responses(dispatcher) == ["utter_education_saved", "utter_satisfaction_offer"]
    offer = session.scalars(select(SatisfactionOffer)).one()
    assert (offer.goal, offer.team, offer.channel) == ("youth_change", "youth", "socketio")
    # Asked already in this conversation (the bot event Rasa logged): a second change gets no second question.
    asked = {"event": "bot", "text": None, "metadata": {"utter_action": "utter_satisfaction_offer"}}
    assert responses(education_saved("conv-s", [asked])) == ["utter_education_saved"]
    assert len(session.scalars(select(SatisfactionOffer)).all()) == 1
