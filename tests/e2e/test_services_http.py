"""End to end: service questions answered from the services table through the
running servers; a staff edit in the CLI reaches the next answer without
retraining; follow-ups stay on the topic; out-of-scope gets the general contact."""

from __future__ import annotations

import os
import subprocess

import pytest

from bot.db.services import get_service
from bot.runner import APP_PYTHON
from bot.shared.municipality import current_municipality
from bot.shared.settings import ROOT
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

QUESTIONS = {
    "sundhedspleje": "hvornår kommer sundhedsplejersken hjem til os efter fødslen?",
    "tandpleje": "skal vi betale for tandlæge til vores børn",
    "familieraadgivning": "hvor kan vi få gratis familierådgivning når vi skændes hele tiden",
    "foraeldrenetvaerk": "hvordan kommer jeg med i en mødregruppe",
    "dagtilbud": "hvordan søger vi en plads i vuggestue",
    "efterfoedselsreaktion": "jeg tror min kæreste har fået en fødselsdepression",
    "underretning": "hvordan laver jeg en underretning til kommunen",
    "fritidsjob": "kan kommunen hjælpe mig med at få et fritidsjob",
    "efterværn": "hvad er efterværn egentlig",
    "mentor": "hvad laver en mentor",
    "ungeindsats": "hvad kan ungeindsatsen hjælpe mig med",
    "kontakt": "hvad er kommunens telefonnummer",
}


def answer(running: RunningAssistant, topic: str) -> str:
    with running.sessions() as session:
        row = get_service(session, topic)
        assert row is not None
        return row.answer


@pytest.mark.parametrize("topic", QUESTIONS)
def test_each_topic_is_answered_from_its_row(running: RunningAssistant, topic: str) -> None:
    chat = running.chat()
    chat.say(QUESTIONS[topic])
    assert answer(running, topic) in chat.text
    assert any(button["payload"] == "/ask_contact_details" for button in chat.buttons)


def edit(running: RunningAssistant, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": running.assistant.settings.database_url}
    return subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "services", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_cli_edit_changes_the_next_answer_without_retraining(running: RunningAssistant) -> None:
    new_text = "Børn og unge under 22 år får gratis tandpleje. Ring til tandplejen og book en tid."
    try:
        done = edit(running, "edit", "tandpleje", "answer", new_text, "--by", "e2e-test")
        assert done.returncode == 0, done.stderr
        chat = running.chat()
        chat.say(QUESTIONS["tandpleje"])
        assert new_text in chat.text
        refused = edit(running, "edit", "tandpleje", "link", "http://ikke-sikker.dk", "--by", "e2e-test")
        assert refused.returncode != 0 and "https://" in refused.stderr
    finally:
        assert edit(running, "load", "--overwrite").returncode == 0
    assert answer(running, "tandpleje") != new_text


def test_follow_ups_stay_on_the_topic(running: RunningAssistant) -> None:
    units = current_municipality().units
    chat = running.chat()
    chat.say(QUESTIONS["tandpleje"])
    chat.say("hvornår har de åbent?")
    assert units["tandplejen"].opening_hours in chat.text
    chat.say("hvor ligger det")
    assert units["tandplejen"].address in chat.text
    chat.say(QUESTIONS["sundhedspleje"])
    chat.say("ja tak")
    assert units["sundhedsplejen"].phone in chat.text


def test_a_question_during_enrollment_is_answered_and_the_form_goes_on(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    assert "Hvad er dit navn?" in chat.text
    chat.say(QUESTIONS["dagtilbud"])
    assert answer(running, "dagtilbud") in chat.text
    assert "Hvad er dit navn?" in chat.text


def test_out_of_scope_gets_the_general_contact(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hvordan fornyer jeg mit pas")
    assert current_municipality().phone in chat.text


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # The time after the course is no question about the course.
        ("kan min kæreste og jeg komme i en fædre- eller forældregruppe når forløbet er færdigt?", "foraeldrenetvaerk"),
        # Day care named in English: its own answer, not the general contact.
        ("what do we do to get a nursery place for our son, he is 9 months", "dagtilbud"),
        # Signing up for another service is no enrolment in the course.
        ("må vi godt melde os til børnehave allerede nu, hun er to", "dagtilbud"),
    ],
)
def test_a_question_naming_a_service_is_about_that_service(running: RunningAssistant, text: str, topic: str) -> None:
    chat = running.chat()
    chat.say(QUESTIONS["sundhedspleje"])
    chat.say(text)
    assert answer(running, topic) in chat.text, chat.text
    assert "Hvad er dit navn?" not in chat.text
