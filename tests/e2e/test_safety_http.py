"""End to end through the running servers: danger comes first in every state.
The first reply names 112 and the help line that fits (a medical emergency
or a poisoning starts with "Ring 112 nu"); the case is critical in the
database; a message the danger layer is unsure about gets a check-in
question first, yes is the high path and no goes on where the conversation
was; the same holds at the first turn, in the enrollment form, in a young
person's meeting form and while staff have the conversation."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.db.models import Escalation
from bot.db.sms import on_duty_alerts
from bot.rasa_client import api_headers
from bot.shared.municipality import load_municipality
from bot.sms.numbers import normalize
from tests.e2e.conftest import Chat, RunningAssistant
from tests.e2e.test_handover_http import StaffBrowser, escalation_of
from tests.e2e.test_youth_http import pair
from tests.unit.test_danger_model import SHORT_ANSWERS

pytestmark = pytest.mark.e2e

CHECK_IN = "Er du eller et barn i fare lige nu?"
# Messages that may signal danger without saying it: the test uses the ones
# the running model puts at the check-in tier (parse_tier), so it does not
# depend on where one message falls after retraining.
UNSURE_CANDIDATES = [
    "jeg har det virkelig ikke godt lige nu",
    "det hele er bare for meget",
    "jeg kan ikke mere",
    "jeg ved ikke hvad jeg skal gøre af mig selv",
    "jeg er så træt af alting",
    "alt er sort",
    "jeg har det skidt",
    "jeg er bange",
    "det er svært at være mig",
    "jeg har brug for hjælp nu",
]


def escalations(running: RunningAssistant, conversation: str) -> list[Escalation]:
    with running.sessions() as session:
        return list(session.scalars(select(Escalation).where(Escalation.conversation_id == conversation)))


def parse(running: RunningAssistant, text: str) -> dict[str, Any]:
    settings = running.assistant.settings
    response = httpx.post(
        f"{settings.rasa_url}/model/parse",
        headers=api_headers(settings.rasa_api_secret),
        json={"text": text},
        timeout=30,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def unsure_message(running: RunningAssistant) -> str:
    tiers = {text: parse(running, text)["danger"]["tier"] for text in UNSURE_CANDIDATES}
    unsure = [text for text, tier in tiers.items() if tier == "check_in"]
    assert unsure, f"no candidate at the check-in tier: {tiers}"
    return unsure[0]


def assert_critical(running: RunningAssistant, chat: Chat) -> None:
    [row] = escalations(running, chat.sender)
    assert (row.priority, row.reason) == ("critical", "distress")


@pytest.mark.parametrize(
    ("message", "help_line"),
    [
        ("min kæreste slår mig", "1888"),
        ("jeg orker ikke at leve mere", "70 201 201"),
        ("jeg er så bange for at jeg gør min baby noget i nat", "112"),
        ("min stedfar slår mig og jeg er 16", "116 111"),
        ("han har smidt mig ud og jeg har ikke noget sted at sove i nat", "114"),
    ],
)
def test_the_first_reply_names_112_and_the_help_line_that_fits(
    running: RunningAssistant, message: str, help_line: str
) -> None:
    chat = running.chat()
    chat.say(message)
    first = chat.last[0]["text"]
    assert "112" in first and help_line in first
    assert_critical(running, chat)
    assert "Hvordan vil du helst kontaktes?" in chat.text


@pytest.mark.parametrize(
    ("message", "then"),
    [
        ("min baby trækker ikke vejret", "Bliv i telefonen"),
        ("min veninde har taget en hel pakke pamol og nu kaster hun op", "82 12 12 12"),
    ],
)
def test_a_medical_emergency_starts_with_ring_112_nu(running: RunningAssistant, message: str, then: str) -> None:
    chat = running.chat()
    chat.say(message)
    first = chat.last[0]["text"]
    assert first.startswith("Ring 112 nu") and then in first
    assert_critical(running, chat)


def test_danger_in_the_middle_of_an_enrollment_comes_first(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    assert "Hvad er dit navn?" in chat.text
    chat.say("han slår mig når han drikker")
    assert "112" in chat.last[0]["text"] and "1888" in chat.last[0]["text"]
    assert_critical(running, chat)
    chat.say("hej")
    assert "Hvad er dit navn?" not in chat.text  # the form was left


def test_unsure_at_the_first_turn_asks_and_yes_is_the_emergency_answer(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say(unsure_message(running))
    first = chat.last[0]["text"]
    assert CHECK_IN in first and "112" in first and "70 201 201" in first
    assert escalations(running, chat.sender) == []
    chat.say("ja")
    assert "112" in chat.last[0]["text"]
    assert_critical(running, chat)


def test_unsure_in_the_enrollment_form_and_no_goes_on_with_the_form(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    chat.say("Mette Hansen")
    assert "Er jeres barn født?" in chat.text
    chat.say(unsure_message(running))
    assert CHECK_IN in chat.last[0]["text"]
    chat.say("nej")  # not an answer to "Er jeres barn født?"
    assert "Godt." in chat.text and "Er jeres barn født?" in chat.text
    assert escalations(running, chat.sender) == []
    chat.say("nej, jeg har termin om 12 uger")
    assert "Er jeres barn født?" not in chat.text  # the form went on, the name kept


def test_unsure_then_yes_in_the_enrollment_form_keeps_the_answers(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    chat.say("Mette Hansen")
    chat.say(unsure_message(running))
    chat.say("ja")
    assert "112" in chat.last[0]["text"]
    assert_critical(running, chat)
    chat.say("chat")
    assert "/enroll_course" in [b["payload"] for b in chat.buttons]  # "Fortsæt tilmeldingen"


def test_danger_and_unsure_in_a_young_persons_meeting_form(running: RunningAssistant) -> None:
    chat = running.chat()
    pair(running, chat, "UNG-003")
    chat.say("kan jeg få et møde med min mentor")
    assert "Hvornår kan du?" in chat.text
    chat.say(unsure_message(running))
    assert CHECK_IN in chat.last[0]["text"]
    chat.say("nej")
    assert "Hvornår kan du?" in chat.text  # the meeting form goes on
    chat.say("sidder på taget lige nu og overvejer at hoppe")
    assert "112" in chat.last[0]["text"] and "70 201 201" in chat.last[0]["text"]
    assert_critical(running, chat)


def test_danger_and_unsure_while_staff_have_the_conversation(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("jeg vil gerne snakke med et menneske")
    chat.say("chat")
    case = escalation_of(running, chat.sender)
    staff = StaffBrowser(running, running.staff_user("anne", name="Anne"))
    staff.post(chat.sender, f"/sag/{case.id}/tag")
    assert running.tracker(chat.sender)["paused"] is True
    assert chat.say("hallo?") == []
    chat.say(unsure_message(running))  # no check-in dialogue while paused: the emergency answer
    assert "112" in chat.text
    assert escalation_of(running, chat.sender).priority == "critical"
    chat.say("min kæreste slår mig")
    assert "112" in chat.text and "1888" in chat.text
    assert running.tracker(chat.sender)["paused"] is True  # staff still have it


def test_worried_about_another_child(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("jeg er virkelig bekymret for naboens børn, de er alene hjemme hele tiden")
    assert "underretning" in chat.text and "anonymt" in chat.text
    assert escalations(running, chat.sender) == []
    chat.say("ja tak")  # yes to a person
    assert "Hvordan vil du helst kontaktes?" in chat.text
    [row] = escalations(running, chat.sender)
    assert (row.reason, row.priority) == ("concern", "high")


def test_a_question_about_underretning_also_offers_a_person(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hvordan laver man en underretning til kommunen?")
    assert "underretning" in chat.text.lower()
    assert "/request_human" in [b["payload"] for b in chat.buttons]
    chat.say("/request_human")
    assert "Hvordan vil du helst kontaktes?" in chat.text
    assert escalation_of(running, chat.sender).reason == "concern"


def test_a_cpr_number_in_a_danger_message_reaches_neither_the_case_nor_the_tracker(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("min kæreste slår mig, mit cpr er 010203-1234")
    assert "112" in chat.text and "1888" in chat.text
    [row] = escalations(running, chat.sender)
    assert row.priority == "critical" and "1234" not in row.summary and "[CPR-nummer fjernet]" in row.summary
    texts = [e.get("text") or "" for e in running.tracker(chat.sender)["events"]]
    assert not any("010203" in text for text in texts)


def test_short_everyday_answers_are_answers_not_danger(running: RunningAssistant) -> None:
    """The trained model in the running server, not only the score alone
    (tests/unit/test_danger_model.py): "og" and "jeg ved ikke" once got 112."""
    flagged = {text: parse(running, text)["danger"] for text in SHORT_ANSWERS}
    assert [text for text, danger in flagged.items() if danger["tier"]] == []
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    chat.say("ved ikke")  # as the name: the form asks again or takes it, never the emergency answer
    assert "112" not in chat.text and escalations(running, chat.sender) == []


def test_danger_outside_chat_hours_reaches_the_on_duty_phone_and_in_hours_does_not(running: RunningAssistant) -> None:
    """Whichever the hour CI runs at, the rule holds: closed, the team's on-duty
    phone gets one text through the gateway, naming the case and nothing the
    citizen wrote; open, none (the queue is watched)."""
    chat = running.chat()
    chat.say("jeg orker ikke at leve mere")
    assert "112" in chat.last[0]["text"]
    [case] = escalations(running, chat.sender)
    municipality = load_municipality(running.assistant.settings.municipality_file)
    number = normalize(municipality.on_duty[case.team])
    assert number is not None
    with running.sessions() as session:  # written in the case's own transaction
        texts = on_duty_alerts(session, [case.id]).get(case.id, [])
    if municipality.chat_hours.is_open(case.created_at):
        assert texts == []
        return
    assert len(texts) == 1
    gateway = f"http://127.0.0.1:{running.assistant.settings.sms_gateway_port}"

    def sent() -> list[str]:
        texts = httpx.get(f"{gateway}/phone/{number}/messages", timeout=10).json()
        return [t["text"] for t in texts if t["direction"] == "out" and f"(nr. {case.id})" in t["text"]]

    deadline = time.monotonic() + 30  # the SMS app's sender looks at its queue every 5 s
    while not sent():
        assert time.monotonic() < deadline, "the on-duty text was not sent"
        time.sleep(0.2)
    [body] = sent()
    assert "ny kritisk sag" in body and "leve" not in body


@pytest.mark.parametrize("answer", ["ja tak, ring gerne paa 26 11 22 33", "ja hun er kun 3 uger"])
def test_an_answer_to_the_check_in_that_is_no_plain_no_is_the_emergency_answer(
    running: RunningAssistant, answer: str
) -> None:
    chat = running.chat()
    chat.say(unsure_message(running))
    assert CHECK_IN in chat.last[0]["text"]
    chat.say(answer)  # read as inform or anything else: a yes with more words is a yes
    assert "112" in chat.last[0]["text"] and "forstod jeg ikke" not in chat.text, chat.text
    assert_critical(running, chat)
