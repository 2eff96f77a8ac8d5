"""request_human, the contact wish and when staff answer: against real SQLite
and PostgreSQL (the database_down fixture for an unreachable one)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

import actions.handover as handover
from actions.enrollment import ActionStopForm
from actions.handover import ActionRequestHuman, ActionSubmitContact, ValidateContactForm, read_contact_method
from bot.db.escalations import open_escalation
from bot.db.models import Escalation
from bot.shared.clock import DANISH_TIME
from tests.helpers import make_tracker, responses

MONDAY_MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=DANISH_TIME)
MONDAY_NIGHT = datetime(2026, 11, 30, 23, 40, tzinfo=DANISH_TIME)


def conversation(
    sender: str,
    *,
    bot_before: str | None = None,
    text: str = "kan jeg tale med en person",
    active_loop: str | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "hej", "parse_data": {"intent": {"name": "greet"}}, "input_channel": "socketio"}
    ]
    if bot_before:
        events.append({"event": "bot", "text": "...", "metadata": {"utter_action": bot_before}})
    events.append(
        {
            "event": "user",
            "text": text,
            "parse_data": {"intent": {"name": "request_human"}},
            "input_channel": "socketio",
        }
    )
    return make_tracker(
        slots=slots, text=text, intent="request_human", sender_id=sender, events=events, active_loop=active_loop
    )


def run(action: Action, tracker: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, asyncio.run(action.run(dispatcher, tracker, {}))


def escalation_of(session: Session, sender: str) -> Escalation:
    session.expire_all()
    return session.scalars(select(Escalation).where(Escalation.conversation_id == sender)).one()


@pytest.mark.parametrize(
    ("bot_before", "text", "reason", "priority"),
    [
        (None, "kan jeg tale med en person", "request_human", "normal"),
        # After two misunderstood messages, the offer taken with its button or a yes ...
        ("utter_offer_person", "/request_human", "misunderstood", "normal"),
        ("utter_offer_person", "ja tak, gør det", "misunderstood", "normal"),
        # ... or not taken: a person asked for in the citizen's own words.
        ("utter_offer_person", "jeg vil hellere have fat i en rigtig sagsbehandler", "request_human", "normal"),
        ("utter_report_concern", "kan jeg tale med en person", "concern", "high"),  # after the underretning text
        # The offer made because the citizen feels bad (no danger): distress, high, not critical.
        ("utter_feelings_offer_person", "ja, det vil jeg gerne", "distress", "high"),
        ("utter_feelings_offer_person", "/request_human", "distress", "high"),
    ],
)
def test_a_person_is_asked_for_and_the_conversation_is_queued(
    session: Session, bot_before: str | None, text: str, reason: str, priority: str
) -> None:
    dispatcher, events = run(ActionRequestHuman(), conversation("conv-h", bot_before=bot_before, text=text))
    assert responses(dispatcher) == ["utter_handoff_started"]
    row = escalation_of(session, "conv-h")
    assert (row.reason, row.priority, row.status, row.channel) == (reason, priority, "new", "socketio")
    assert f"request_human: {text}" in row.summary
    assert SlotSet("handoff_failed", False) in events and SlotSet("paused_form", None) in events


def test_a_call_asked_for_is_the_telephone_whose_number_is_asked_next(session: Session) -> None:
    text = "kan en medarbejder fra kommunen ringe til mig? mit nummer er 22 33 44 55"
    _, events = run(ActionRequestHuman(), conversation("conv-call", text=text))
    assert events[-1] == SlotSet("contact_method", "phone")
    assert not [e for e in events if e.get("name") == "handoff_contact" and e.get("value")]  # asked, with the consent
    asked = make_tracker(slots={"contact_method": "phone"}, text=text, intent="request_human", sender_id="conv-call")
    form = ValidateContactForm()
    assert asyncio.run(form.required_slots(["contact_method"], CollectingDispatcher(), asked, {})) == [
        "contact_method",
        "handoff_contact",
    ]
    # Asked for a person without a way: how to be contacted is asked.
    _, events = run(ActionRequestHuman(), conversation("conv-nocall", text="kan jeg tale med et menneske"))
    assert SlotSet("contact_method", None) in events and SlotSet("contact_method", "phone") not in events


def test_in_the_middle_of_the_enrollment_the_form_is_paused_not_lost(session: Session) -> None:
    slots = {"parent_name": "Mette Hansen", "child_born": False, "requested_slot": "child_date"}
    dispatcher, events = run(
        ActionRequestHuman(), conversation("conv-form", active_loop="enrollment_form", slots=slots)
    )
    assert responses(dispatcher) == ["utter_handoff_started_form_paused"]
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert SlotSet("paused_form", "enrollment_form") in events
    assert not any(e.get("name") == "parent_name" for e in events)  # the answers so far stay


def test_database_down_gives_the_phone_number_and_asks_nothing_more(database_down: None) -> None:
    dispatcher, events = run(ActionRequestHuman(), conversation("conv-down"))
    assert responses(dispatcher) == ["utter_database_error"] and dispatcher.messages[0]["municipality_phone"]
    assert SlotSet("handoff_failed", True) in events
    slots = asyncio.run(
        ValidateContactForm().required_slots(
            ["contact_method", "handoff_contact"],
            CollectingDispatcher(),
            make_tracker(slots={"handoff_failed": True}),
            {},
        )
    )
    assert slots == []


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("chat", "chat"),
        ("her i chatten tak", "chat"),
        ("ring til mig", "phone"),
        ("ring gerne", "phone"),
        ("tlf", "phone"),
        ("12 34 56 78", "phone"),
        ("e-mail", "email"),
        ("send en mail", "email"),
        ("mette@example.dk", "email"),
        ("phone please", "phone"),
        ("hvad?", None),
        ("ved ikke", None),
    ],
)
def test_the_contact_method_is_read_from_what_people_write(text: str, method: str | None) -> None:
    assert read_contact_method(text) == method


def validate(slot: str, value: str, slots: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateContactForm(), f"validate_{slot}")
    return method(value, dispatcher, make_tracker(slots=slots), {}), responses(dispatcher)


def test_contact_form_asks_for_the_number_only_when_calling() -> None:
    form = ValidateContactForm()

    def required(method: str | None) -> list[str]:
        return asyncio.run(
            form.required_slots(
                ["contact_method", "handoff_contact"],
                CollectingDispatcher(),
                make_tracker(slots={"contact_method": method}),
                {},
            )
        )

    assert required("chat") == ["contact_method"]
    assert required("phone") == ["contact_method", "handoff_contact"]
    assert required("email") == ["contact_method", "handoff_contact"]


def test_contact_form_validation() -> None:
    assert validate("contact_method", "ring til mig på 12345678") == (
        {"contact_method": "phone", "handoff_contact": "+4512345678"},
        [],
    )
    assert validate("contact_method", "hmm") == ({"contact_method": None}, ["utter_invalid_contact_method"])
    assert validate("handoff_contact", "1234", {"contact_method": "phone"}) == (
        {"handoff_contact": None},
        ["utter_invalid_handoff_phone"],
    )
    assert validate("handoff_contact", "mette(at)example", {"contact_method": "email"}) == (
        {"handoff_contact": None},
        ["utter_invalid_handoff_email"],
    )
    assert validate("handoff_contact", "Mette@Example.dk", {"contact_method": "email"})[0] == {
        "handoff_contact": "mette@example.dk"
    }


def extracted(text: str, intent: str, asked: str = "contact_method", **slots: Any) -> dict[str, Any]:
    """What the contact form reads from a message: nothing means the form
    rejects it, and the rule for that intent inside the contact wish runs."""
    tracker = make_tracker(
        slots={"requested_slot": asked, **slots}, text=text, intent=intent, active_loop="contact_form"
    )
    events = asyncio.run(ValidateContactForm().get_extraction_events(CollectingDispatcher(), tracker, {}))
    return {event["name"]: event["value"] for event in events}


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        # The NLU reads these ways to be contacted as something else (measured): they answer all the same.
        ("ring til mig", "request_human", "ring til mig"),
        ("her i chatten", "help", "her i chatten"),
        ("send en mail", "ask_contact_details", "send en mail"),
        ("chat", "nlu_fallback", "chat"),
        ("ring til mig på 12 34 56 78", "faq", "ring til mig på 12 34 56 78"),
        # A person asked for again is honoured: a person writes here in the chat.
        ("jeg vil bare tale med et menneske", "request_human", "chat"),
        ("ja tak, en rigtig medarbejder", "request_human", "chat"),
        ("/request_human", "request_human", "chat"),
        # Questions are answered by their rules; the form asks again.
        ("hvad er en mentor?", "faq", None),
        ("hvad koster tandplejen her?", "faq", None),  # "her" is no wish to chat
        ("hvad kan du", "help", None),
        ("hvad er familie med hjerte", "ask_course_info", None),
        # Danger and stop never answer.
        ("stop, ring ikke til mig", "stop", None),
    ],
)
def test_the_contact_form_tells_its_answer_from_a_question_or_a_person_asked_for(
    text: str, intent: str, answer: str | None
) -> None:
    assert extracted(text, intent) == ({"contact_method": answer} if answer else {})


def test_asked_for_the_number_a_person_asked_for_is_the_chat_unless_it_names_the_way() -> None:
    phone = {"asked": "handoff_contact", "contact_method": "phone"}
    assert extracted("ring på 12 34 56 78", "request_human", **phone) == {"handoff_contact": "ring på 12 34 56 78"}
    # No number and no other way: a person writes in the chat, the number is not asked again.
    assert extracted("kan jeg ikke bare få en medarbejder", "request_human", **phone) == {"contact_method": "chat"}
    # The telephone named again without its number: the form asks for the number once more.
    assert extracted("kan en medarbejder ikke bare ringe mig op", "request_human", **phone) == {}
    # Another way named: that way, whose detail is asked next.
    email = {"asked": "handoff_contact", "contact_method": "email"}
    assert extracted("kan en medarbejder ringe mig op i stedet", "request_human", **email) == {
        "contact_method": "phone"
    }


def test_a_person_asked_for_while_asked_for_the_address_ends_the_contact_wish_in_the_chat() -> None:
    """The whole form step: the way is the chat, nothing more is asked."""
    tracker = make_tracker(
        slots={"requested_slot": "handoff_contact", "contact_method": "email"},
        text="jeg vil bare have et menneske",
        intent="request_human",
        active_loop="contact_form",
    )
    dispatcher = CollectingDispatcher()
    domain = {"slots": {}, "forms": {"contact_form": {"required_slots": ["contact_method", "handoff_contact"]}}}
    events = asyncio.run(ValidateContactForm().run(dispatcher, tracker, domain))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"contact_method": "chat", "requested_slot": None}  # nothing more to ask
    assert responses(dispatcher) == []


@pytest.mark.parametrize(
    ("now", "method", "detail", "response", "told", "wish"),
    [
        (MONDAY_MORNING, "chat", None, "utter_handoff_chat_open", {"closes": "kl. 15"}, "chat"),
        (MONDAY_NIGHT, "chat", None, "utter_handoff_chat_closed", {"next_opening": "i morgen kl. 8"}, "chat"),
        (
            MONDAY_MORNING,
            "phone",
            "+4512345678",
            "utter_handoff_phone_open",
            {"contact": "12 34 56 78"},
            "telefon 12 34 56 78",
        ),
        (
            MONDAY_NIGHT,
            "email",
            "mette@example.dk",
            "utter_handoff_email_closed",
            {"next_opening": "i morgen kl. 8", "contact": "mette@example.dk"},
            "e-mail mette@example.dk",
        ),
    ],
)
def test_the_contact_wish_is_stored_and_the_citizen_told_when(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    now: datetime,
    method: str,
    detail: str | None,
    response: str,
    told: dict[str, str],
    wish: str,
) -> None:
    monkeypatch.setattr(handover, "now", lambda: now)
    open_escalation(
        session, conversation_id="conv-w", channel="socketio", reason="request_human", priority="normal", summary=""
    )
    session.commit()
    dispatcher, events = run(
        ActionSubmitContact(),
        make_tracker(sender_id="conv-w", slots={"contact_method": method, "handoff_contact": detail}),
    )
    assert responses(dispatcher) == [response]
    assert told.items() <= dispatcher.messages[0].items()
    assert escalation_of(session, "conv-w").contact_wish == wish
    assert SlotSet("contact_method", None) in events  # asked afresh next time


def test_after_the_contact_wish_the_paused_enrollment_is_offered(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handover, "now", lambda: MONDAY_MORNING)
    open_escalation(
        session, conversation_id="conv-p", channel="rest", reason="request_human", priority="normal", summary=""
    )
    session.commit()
    dispatcher, events = run(
        ActionSubmitContact(),
        make_tracker(sender_id="conv-p", slots={"contact_method": "chat", "paused_form": "enrollment_form"}),
    )
    assert responses(dispatcher) == ["utter_handoff_chat_open", "utter_resume_enrollment"]
    assert SlotSet("paused_form", None) in events


def test_stop_during_the_contact_wish_keeps_the_case_and_the_paused_answers() -> None:
    dispatcher, events = run(
        ActionStopForm(), make_tracker(slots={"parent_name": "Mette"}, intent="stop", active_loop="contact_form")
    )
    assert responses(dispatcher) == ["utter_contact_stopped"]
    assert not any(e.get("name") == "parent_name" for e in events)


def test_a_case_goes_to_the_team_that_works_it(session: Session) -> None:
    from datetime import date

    from bot.db import youth

    mikkel = youth.create_profile(
        session,
        reference="UNG-H1",
        first_name="Mikkel",
        mentor_name="Sanne",
        mentor_contact="sanne@example.dk",
        aftercare_ends_on=date(2028, 1, 1),
    )
    youth.bind(session, "ung-h", mikkel.id, "pairing")
    session.commit()
    run(ActionRequestHuman(), conversation("ung-h"))
    run(ActionRequestHuman(), conversation("kursus-h", active_loop="enrollment_form"))
    run(ActionRequestHuman(), conversation("mor-h"))
    assert [escalation_of(session, c).team for c in ("ung-h", "kursus-h", "mor-h")] == ["youth", "course", "family"]
