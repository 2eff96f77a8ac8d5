"""End to end: danger gets 112 and the help lines in the very first reply,
also in the middle of an enrolment, and lands in the staff queue as critical."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Escalation
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e


def escalations(running: RunningAssistant, conversation: str) -> list[Escalation]:
    with running.sessions() as session:
        return list(session.scalars(select(Escalation).where(Escalation.conversation_id == conversation)))


@pytest.mark.parametrize("message", [
    "min kæreste slår mig",
    "jeg orker ikke at leve mere",
    "jeg er så bange for at jeg gør min baby noget i nat",
])
def test_the_first_reply_names_112_and_a_help_line(running: RunningAssistant, message: str) -> None:
    chat = running.chat()
    chat.say(message)
    first = chat.last[0]["text"]
    assert "112" in first and "116 111" in first and "70 201 201" in first
    [row] = escalations(running, chat.sender)
    assert (row.priority, row.reason) == ("critical", "distress")


def test_danger_in_the_middle_of_an_enrolment_comes_first(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    assert "Hvad er dit navn?" in chat.text
    chat.say("han slår mig når han drikker")
    assert "112" in chat.last[0]["text"]
    assert escalations(running, chat.sender)[0].priority == "critical"
    chat.say("hej")
    assert "Hvad er dit navn?" not in chat.text  # the form was left


def test_worried_about_another_child(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("jeg er virkelig bekymret for naboens børn, de er alene hjemme hele tiden")
    assert "underretning" in chat.text and "anonymt" in chat.text
    assert escalations(running, chat.sender) == []
    chat.say("ja tak")  # yes to a person
    assert "Hvordan vil du helst kontaktes?" in chat.text
    [row] = escalations(running, chat.sender)
    assert (row.reason, row.priority) == ("concern", "high")
