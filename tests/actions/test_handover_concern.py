"""A request for a person that is about a concern for a child (the reason and
the priority staff see first), against real SQLite and PostgreSQL: the concern
told in the same message, or in the message before, which the danger layer
checked in on first; never a concern without a child named."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from actions.handover import ActionRequestHuman
from tests.actions.test_handover import conversation, escalation_of, run


@pytest.mark.parametrize(
    ("second", "confidence", "reason", "priority"),
    [
        ("report_concern", 0.91, "concern", "high"),  # the concern told with the request: a concern
        ("report_concern", 0.3, "request_human", "normal"),  # NLU hardly read a concern
        ("faq", 0.9, "request_human", "normal"),
    ],
)
def test_a_person_asked_for_in_the_message_that_tells_a_concern_is_a_concern(
    session: Session, second: str, confidence: float, reason: str, priority: str
) -> None:
    text = "naboens små børn er alene hjemme hver aften, jeg er bekymret. kan der komme nogen og kigge på det?"
    tracker = conversation("conv-concern", text=text)
    tracker.latest_message["intent_ranking"] = [
        {"name": "request_human", "confidence": 1.0},
        {"name": second, "confidence": confidence},
    ]
    run(ActionRequestHuman(), tracker)
    row = escalation_of(session, "conv-concern")
    assert (row.reason, row.priority) == (reason, priority)


@pytest.mark.parametrize(
    ("before", "reason", "priority"),
    [
        # the danger layer checked in on the concern first; its ranking still read the concern
        (
            [{"name": "possible_distress", "confidence": 1.0}, {"name": "report_concern", "confidence": 0.97}],
            "concern",
            "high",
        ),
        (
            [{"name": "possible_distress", "confidence": 1.0}, {"name": "faq", "confidence": 0.8}],
            "request_human",
            "normal",
        ),
        ([{"name": "report_concern", "confidence": 0.2}], "request_human", "normal"),
    ],
)
def test_a_person_asked_for_right_after_a_concern_the_danger_layer_checked_in_on_is_a_concern(
    session: Session, before: list[dict[str, Any]], reason: str, priority: str
) -> None:
    text = "kan der ikke komme nogen og se til dem? ring gerne til mig"
    tracker = conversation("conv-concern-after", text=text, bot_before="utter_danger_check_in")
    told = {
        "event": "user",
        "text": "pigerne ved siden af er alene hele natten og ser sultne ud",
        "parse_data": {"intent": before[0], "intent_ranking": before},
        "input_channel": "socketio",
    }
    tracker.events.insert(1, told)
    run(ActionRequestHuman(), tracker)
    row = escalation_of(session, "conv-concern-after")
    assert (row.reason, row.priority) == (reason, priority)


def test_a_concern_read_under_a_request_that_names_no_child_is_a_plain_request(session: Session) -> None:
    text = "jeg vil hellere drøfte vores situation med et menneske"
    tracker = conversation("conv-no-child", text=text)
    tracker.latest_message["intent_ranking"] = [
        {"name": "request_human", "confidence": 1.0},
        {"name": "report_concern", "confidence": 0.56},
    ]
    run(ActionRequestHuman(), tracker)
    row = escalation_of(session, "conv-no-child")
    assert (row.reason, row.priority) == ("request_human", "normal")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I would like to talk to a real person please, it's about my son's day care place", "request_human"),
        ("jeg vil gerne tale med en om min datters plads i vuggestuen", "request_human"),
        # a service named, and what is worrying said: a concern
        ("jeg er bekymret for en dreng i min datters dagpleje, kan jeg tale med en medarbejder", "concern"),
    ],
)
def test_a_person_asked_for_about_a_service_for_a_child_is_a_concern_only_when_it_says_a_worry(
    session: Session, text: str, reason: str
) -> None:
    tracker = conversation("conv-service-child", text=text)
    tracker.latest_message["intent_ranking"] = [
        {"name": "request_human", "confidence": 1.0},
        {"name": "report_concern", "confidence": 0.7},
    ]
    run(ActionRequestHuman(), tracker)
    assert escalation_of(session, "conv-service-child").reason == reason
