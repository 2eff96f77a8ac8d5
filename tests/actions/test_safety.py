"""Danger: the conversation is queued for staff with priority critical (real
SQLite and PostgreSQL), once per conversation, and any form is left."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.safety import ActionEscalateDistress
from bot.db.models import Escalation
from tests.helpers import responses


def tracker(sender: str, text: str, active_loop: str | None = None) -> Tracker:
    events = [{"event": "user", "text": "hej", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "user", "text": text, "parse_data": {"intent": {"name": "express_distress"}},
               "input_channel": "socketio"}]
    return Tracker(sender, {}, {"text": text, "intent": {"name": "express_distress"}, "entities": []}, events,
                   False, None, {"name": active_loop} if active_loop else {}, "action_listen")


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
