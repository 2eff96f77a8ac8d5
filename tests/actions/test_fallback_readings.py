"""What the fallback still reads in a message NLU could not: a service
question NLU found too close to another intent, and calling off the
enrolment this conversation has just made (actions/fallback.py)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.fallback import FALLBACK_THRESHOLD, ActionHandleFallback
from bot.db.models import CourseTeam
from bot.db.seed import seed_services
from bot.db.services import get_service
from bot.shared.settings import ROOT
from tests.actions.test_lookup import enrol, found
from tests.helpers import make_tracker, responses


def fallen_back(text: str, ranking: list[tuple[str, float]], topic: str, sure: float, sender: str = "c-f") -> Tracker:
    """A message NLU fell back on, with its intent ranking and the ResponseSelector's pick."""
    tracker = make_tracker(events=[{"event": "user", "text": text}], text=text, intent="nlu_fallback", sender_id=sender)
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": FALLBACK_THRESHOLD}] + [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    tracker.latest_message["response_selector"] = {
        "faq": {"response": {"intent_response_key": f"faq/{topic}", "confidence": sure}}
    }
    return tracker


def handled(tracker: Tracker) -> tuple[CollectingDispatcher, list[Any]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(ActionHandleFallback().run(dispatcher, tracker, {}))


def test_the_threshold_is_the_fallback_classifiers() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    classifier = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    assert classifier["threshold"] == FALLBACK_THRESHOLD


def test_a_service_question_too_close_to_another_intent_is_answered(session: Session) -> None:
    seed_services(session)
    session.commit()
    text = "vi råber bare ad hinanden efter fødslen, findes der nogen vi kan tale med uden navn"
    tracker = fallen_back(text, [("faq", 0.55), ("ask_course_info", 0.51)], "familieraadgivning", 0.98)
    dispatcher, events = handled(tracker)
    service = get_service(session, "familieraadgivning")
    assert service is not None and dispatcher.messages[0]["service_answer"] == service.answer
    assert SlotSet("service_topic", "familieraadgivning") in events and UserUtteranceReverted() not in events


@pytest.mark.parametrize(
    ("ranking", "sure"),
    [
        ([("faq", FALLBACK_THRESHOLD - 0.05), ("inform", 0.30)], 0.98),  # NLU unsure of the service question itself
        ([("ask_course_info", 0.55), ("faq", 0.51)], 0.98),  # another intent first
        ([("faq", 0.55), ("ask_course_info", 0.51)], 0.6),  # the ResponseSelector unsure which service
    ],
)
def test_otherwise_a_message_nlu_fell_back_on_is_not_understood(ranking: list[tuple[str, float]], sure: float) -> None:
    tracker = fallen_back("blablabla noget med nogen", ranking, "familieraadgivning", sure)
    dispatcher, events = handled(tracker)
    assert responses(dispatcher) == ["utter_default"] and events == [UserUtteranceReverted()]


def test_calling_off_the_enrolment_just_made_is_understood(
    session: Session, teams: list[CourseTeam], due_in_three_months: date
) -> None:
    enrollment = enrol(session, teams[0], due_in_three_months, conversation="c-off")
    text = "øv, vi har fundet ud af at det ikke går alligevel, kan du melde os fra igen"
    tracker = fallen_back(text, [("cancel_enrollment", 0.40)], "mentor", 0.2, sender="c-off")
    dispatcher, events = handled(tracker)
    assert dispatcher.messages == []  # the look-up form asks next whether to cancel
    assert events == [
        SlotSet("lookup_purpose", "cancel"),
        SlotSet("enrollment_known", True),
        *[SlotSet(name, value) for name, value in found("c-off", enrollment).items()],
        FollowupAction("enrollment_lookup_form"),
    ]


def test_a_cancel_verb_without_an_enrolment_here_is_not_understood(session: Session) -> None:
    tracker = fallen_back("kan du afmelde mig igen", [("cancel_enrollment", 0.40)], "mentor", 0.2, sender="c-none")
    dispatcher, _ = handled(tracker)
    assert responses(dispatcher) == ["utter_default"]
