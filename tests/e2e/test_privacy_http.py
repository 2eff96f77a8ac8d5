"""End to end: CPR numbers typed in five forms reach no table (municipal
database and Rasa's tracker store) and no log; the user is told once."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from sqlalchemy import MetaData, create_engine, select

from bot.domain import load_domain
from bot.runner import LOG_DIR
from tests.e2e.conftest import RunningAssistant, SocketChat
from tests.e2e.test_access_http import forged_call
from tests.e2e.test_enrollment_http import finish, start_and_answer_first_questions

pytestmark = pytest.mark.e2e

FORMS = {
    "hyphen": "hej, mit cpr-nummer er 150786-4321",
    "no separator": "min søns er 2408921133 hvis I skal bruge det",
    "space": "121190 2345",
    "en dash": "cpr: 130291–3456, kan I se om vi er tilmeldt?",
    "in a question": "skal I bruge 0707071234 til tilmeldingen?",
}
DIGITS = ["1507864321", "2408921133", "1211902345", "1302913456", "0707071234", "0101904455"]
NOTICE = load_domain()["responses"]["utter_cpr_removed"][0]["text"]


def cpr_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"{d[:6]}\\D?{d[6:]}" for d in DIGITS))


def every_stored_value(url: str) -> list[str]:
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    values = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                values += [str(value) for value in row]
    engine.dispose()
    return values


def everything_stored(running: RunningAssistant) -> list[str]:
    """Every value in the municipal database and in Rasa's tracker store."""
    settings = running.assistant.settings
    stored = every_stored_value(settings.database_url)
    if settings.tracker_store_url != settings.database_url:
        stored += every_stored_value(settings.tracker_store_url)
    return stored


def test_cpr_numbers_reach_no_table_and_no_log(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say(FORMS["hyphen"])
    assert NOTICE in chat.text
    for form in ["no separator", "space", "en dash", "in a question"]:
        chat.say(FORMS[form])
        assert NOTICE not in chat.text, form  # told once per conversation

    enrolling = running.chat()
    start_and_answer_first_questions(enrolling, "Mette Hansen")
    enrolling.say("her er mit cpr 010190-4455")
    assert NOTICE in enrolling.text and "partner" in enrolling.text
    finish(enrolling, "mette.cpr@example.dk")

    stored = everything_stored(running)
    assert any("[CPR-nummer fjernet]" in value for value in stored)  # the masked messages are there
    assert [value for value in stored if cpr_pattern().search(value)] == []
    logs = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in LOG_DIR.glob("*.log")}
    assert {name: cpr_pattern().findall(text) for name, text in logs.items() if cpr_pattern().search(text)} == {}


def test_my_data_shows_what_is_stored_and_delete_my_data_leaves_nothing(running: RunningAssistant) -> None:
    chat = running.chat()
    start_and_answer_first_questions(chat, "Line Skov Jensen")
    reference = finish(chat, "line.slet@example.dk")

    chat.say("hvad har I gemt om mig?")
    assert reference in chat.text and "Line Skov Jensen" in chat.text and "line.slet@example.dk" in chat.text
    assert "30 dage" in chat.text

    chat.say("jeg vil gerne have slettet mine oplysninger")
    assert "Skal jeg slette" in chat.text
    chat.click("/affirm")
    assert "slettet" in chat.text

    stored = everything_stored(running)
    assert [
        value for value in stored if chat.sender in value or "line.slet@example.dk" in value or reference in value
    ] == []

    chat.say("hej")  # a fresh conversation starts
    assert "Familie med Hjerte" in chat.text

    # At the default log level no message text or personal data reaches a log.
    logs = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in LOG_DIR.glob("*.log"))
    for personal in ["Line Skov Jensen", "line.slet@example.dk", "hvad har I gemt om mig", reference]:
        assert personal not in logs


def test_no_means_nothing_is_deleted(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("slet alt hvad I har om mig")
    assert "Skal jeg slette" in chat.text
    chat.click("/deny")
    assert "ikke slettet" in chat.text
    stored = every_stored_value(running.assistant.settings.tracker_store_url)
    assert any(chat.sender in value for value in stored)


def test_no_message_text_reaches_a_log_through_the_paths_that_log(running: RunningAssistant) -> None:
    marker = f"hemmelig{uuid.uuid4().hex[:8]}"
    chat = running.chat()
    chat.say(f"jeg hedder {marker} og min søns cpr er 01.02.03-1234")
    # The action server down in the middle of a conversation.
    running.assistant.stop(["actions"])
    try:
        chat.say(f"hvad har I gemt om mig, {marker}?")
    finally:
        running.assistant.start_actions()
        running.assistant.wait_until_ready(120)
    # A failing action (a made-up tracker with a bad entity, sent with the action server's token).
    settings = running.assistant.settings
    call = forged_call("action_remind_meeting", 1)
    call["tracker"]["latest_message"] |= {
        "text": f"{marker} 0102031234",
        "entities": [{"entity": "meeting_id", "value": {"bad": marker}}],
    }
    httpx.post(
        f"http://127.0.0.1:{settings.action_server_port}/webhook",
        json=call,
        timeout=10,
        headers={"Authorization": f"Bearer {settings.action_server_token}"},
    )
    # Malformed requests: a widget message that is not an object, one for an unproven session.
    widget = SocketChat(settings.rasa_url)
    try:
        widget.client.emit("user_uttered", f"{marker} 010203-1234")
        widget.say(f"{marker} 010203-1234", as_session="not-my-session")
    finally:
        widget.close()
    chat.say(f"tak {marker}")
    logs = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in LOG_DIR.glob("*.log")}
    assert {name for name, text in logs.items() if marker in text} == set()
    assert {name for name, text in logs.items() if "010203-1234" in text or "01.02.03-1234" in text} == set()
