"""Danger: the conversation is queued for staff with priority critical (real
SQLite and PostgreSQL), once per conversation, with the kind of danger, and
any form is left; the check-in sets a form aside and a no takes it up again."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions import handover
from actions.safety import ActionAnswerNo, ActionEscalateDistress, ActionPauseForCheckIn, ActionResumeAfterCheckIn
from actions.transaction import Transaction
from bot.db.models import Escalation
from bot.db.sms import on_duty_alerts
from bot.db.sms_models import SmsOutbound
from bot.shared.clock import DANISH_TIME
from bot.shared.municipality import current_municipality
from bot.sms.numbers import normalize
from tests.helpers import responses


def tracker(sender: str, text: str, active_loop: str | None = None) -> Tracker:
    events = [
        {"event": "user", "text": "hej", "parse_data": {"intent": {"name": "greet"}}},
        {
            "event": "user",
            "text": text,
            "parse_data": {"intent": {"name": "express_distress"}},
            "input_channel": "socketio",
        },
    ]
    return Tracker(
        sender,
        {},
        {"text": text, "intent": {"name": "express_distress"}, "entities": []},
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def run(t: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(ActionEscalateDistress().run(dispatcher, t, {}))


def test_danger_is_queued_as_critical_with_a_short_summary(session: Session) -> None:
    dispatcher, _ = run(tracker("conv-danger", "min kæreste slår mig"))
    assert responses(dispatcher) == ["utter_distress_contact"]
    row = session.scalars(select(Escalation).where(Escalation.conversation_id == "conv-danger")).one()
    assert (row.priority, row.reason, row.status, row.channel) == ("critical", "distress", "new", "socketio")
    assert "express_distress: min kæreste slår mig" in row.summary


def test_twice_in_one_conversation_is_one_escalation(session: Session) -> None:
    run(tracker("conv-twice", "han truer mig"))
    run(tracker("conv-twice", "han står udenfor nu"))
    rows = session.scalars(select(Escalation).where(Escalation.conversation_id == "conv-twice")).all()
    assert len(rows) == 1 and "han står udenfor nu" in rows[0].summary


def test_any_form_is_left_and_kept_for_later(session: Session) -> None:
    _, events = run(tracker("conv-form", "jeg kan ikke mere", active_loop="enrollment_form"))
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert SlotSet("paused_form", "enrollment_form") in events  # its answers stay; offered again afterwards
    assert SlotSet("handoff_failed", False) in events  # the contact wish is asked next


def test_database_down_still_gives_the_phone_number_and_claims_nothing(database_down: None) -> None:
    dispatcher, events = run(tracker("conv-down", "min kæreste slår mig"))
    assert responses(dispatcher) == ["utter_distress_not_queued"]
    assert dispatcher.messages[0]["municipality_phone"]
    assert SlotSet("handoff_failed", True) in events  # so no contact wish is asked for


def with_slots(t: Tracker, **slots: Any) -> Tracker:
    t.slots.update(slots)
    return t


def test_the_kind_of_danger_heads_the_summary(session: Session) -> None:
    run(with_slots(tracker("conv-kind", "min baby trækker ikke vejret"), danger_kind="medical"))
    row = session.scalars(select(Escalation).where(Escalation.conversation_id == "conv-kind")).one()
    assert row.summary.startswith("Fare: medical\n") and row.priority == "critical"


def test_after_a_check_in_the_form_set_aside_is_still_the_one_to_go_back_to(session: Session) -> None:
    _, events = run(with_slots(tracker("conv-after-check", "ja"), paused_form="book_meeting_form"))
    assert SlotSet("paused_form", "book_meeting_form") in events


def test_the_contact_wish_itself_is_never_the_form_to_go_back_to(session: Session) -> None:
    _, events = run(
        with_slots(
            tracker("conv-contact", "han står udenfor", active_loop="contact_form"), paused_form="enrollment_form"
        )
    )
    assert SlotSet("paused_form", "enrollment_form") in events


def check_in(action: Action, t: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(action.run(dispatcher, t, {}))


def test_the_check_in_sets_a_form_aside_with_its_answers() -> None:
    _, events = check_in(ActionPauseForCheckIn(), tracker("conv-c1", "jeg kan ikke mere", "enrollment_form"))
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("paused_form", "enrollment_form")]
    _, none = check_in(ActionPauseForCheckIn(), tracker("conv-c2", "jeg kan ikke mere"))
    assert none == []  # no form: nothing to set aside
    _, contact = check_in(ActionPauseForCheckIn(), tracker("conv-c3", "jeg kan ikke mere", "contact_form"))
    assert SlotSet("paused_form", "contact_form") not in contact and ActiveLoop(None) in contact


def test_no_to_the_check_in_takes_the_form_up_again() -> None:
    dispatcher, events = check_in(
        ActionResumeAfterCheckIn(), with_slots(tracker("conv-c4", "nej"), paused_form="log_meeting_form")
    )
    assert responses(dispatcher) == ["utter_check_in_safe"]
    assert events == [SlotSet("paused_form", None), FollowupAction("log_meeting_form")]
    dispatcher, events = check_in(ActionResumeAfterCheckIn(), tracker("conv-c5", "nej"))
    assert responses(dispatcher) == ["utter_check_in_safe"] and events == [SlotSet("paused_form", None)]


def test_no_to_the_check_in_answers_the_service_question_it_held_back(session: Session) -> None:
    held = "jeg græder hver dag efter fødslen og er bange for det er en fødselsdepression, hvad kan jeg gøre"
    events = [
        {"event": "user", "text": held, "parse_data": {"intent": {"name": "possible_distress"}}},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_danger_check_in"}},
        {"event": "user", "text": "nej", "parse_data": {"intent": {"name": "deny"}}},
    ]
    asked = Tracker("conv-c9", {}, {"text": "nej", "intent": {"name": "deny"}}, events, False, None, {}, "")
    dispatcher, answered = check_in(ActionResumeAfterCheckIn(), asked)
    assert responses(dispatcher)[:2] == ["utter_check_in_safe", "utter_faq/efterfoedselsreaktion"]
    assert answered[0] == SlotSet("paused_form", None)
    assert SlotSet("service_topic", "efterfoedselsreaktion") in answered
    # With a form set aside, the form's question comes instead (one question at a time).
    paused = Tracker("conv-c10", {"paused_form": "enrollment_form"}, asked.latest_message, events, False, None, {}, "")
    dispatcher, resumed = check_in(ActionResumeAfterCheckIn(), paused)
    assert responses(dispatcher) == ["utter_check_in_safe"] and resumed[-1] == FollowupAction("enrollment_form")


def test_a_no_that_tells_feeling_bad_is_offered_a_person_not_left_alone() -> None:
    """To the check-in, the form set aside stays aside: one question at a time, the offer."""
    dispatcher, events = check_in(
        ActionResumeAfterCheckIn(),
        with_slots(tracker("conv-c6", "nej ikke i fare, har det bare rigtig skidt"), paused_form="log_meeting_form"),
    )
    assert responses(dispatcher) == ["utter_check_in_safe", "utter_feelings_offer_person"]
    assert events == [SlotSet("paused_form", None), ActiveLoop(None)]
    assert dispatcher.messages[1]["municipality_phone"]  # the number to call is in the offer
    # To an offer after a service answer: "Helt i orden" for a plain no only.
    dispatcher, events = check_in(ActionAnswerNo(), tracker("conv-c7", "nej, jeg er bare så ked af det"))
    assert responses(dispatcher) == ["utter_feelings_offer_person"] and events == []
    dispatcher, _ = check_in(ActionAnswerNo(), tracker("conv-c8", "nej tak"))
    assert responses(dispatcher) == ["utter_anything_else"]


MONDAY_NIGHT = datetime(2026, 11, 30, 23, 40, tzinfo=DANISH_TIME)
MONDAY_MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=DANISH_TIME)


def on_duty_texts(session: Session, sender: str) -> list[SmsOutbound]:
    case = session.scalars(select(Escalation).where(Escalation.conversation_id == sender)).one()
    return on_duty_alerts(session, [case.id]).get(case.id, [])


def test_danger_outside_chat_hours_is_texted_to_the_on_duty_phone_once(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handover, "now", lambda: MONDAY_NIGHT)
    dispatcher, _ = run(tracker("conv-night", "jeg vil ikke leve mere, mit cpr er 010203-1234"))
    assert responses(dispatcher) == ["utter_distress_contact"]
    run(tracker("conv-night", "jeg står på broen"))  # the same case: not a second text
    texts = on_duty_texts(session, "conv-night")
    assert len(texts) == 1
    text = texts[0]
    assert (text.kind, text.status) == ("on_duty", "queued")
    assert text.msisdn == normalize(current_municipality().on_duty["family"])
    assert "ny kritisk sag" in text.body and "familieteamets kø" in text.body and "http" in text.body
    # Nothing of what the citizen wrote leaves in a text.
    assert "leve" not in text.body and "broen" not in text.body and "010203" not in text.body


def test_danger_in_chat_hours_is_not_texted(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handover, "now", lambda: MONDAY_MORNING)
    run(tracker("conv-day", "min kæreste slår mig"))
    assert on_duty_texts(session, "conv-day") == []


def test_a_case_raised_to_critical_at_night_is_texted(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handover, "now", lambda: MONDAY_NIGHT)
    with Transaction(CollectingDispatcher(), "test") as tx:
        handover.open_case(tx.session, tracker("conv-raised", "kan jeg tale med en person"), "request_human", "normal")
    assert on_duty_texts(session, "conv-raised") == []  # a normal case waits for the morning
    run(tracker("conv-raised", "han slår mig nu"))
    assert len(on_duty_texts(session, "conv-raised")) == 1
