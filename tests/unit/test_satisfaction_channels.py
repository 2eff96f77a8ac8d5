"""The satisfaction question's custom payload in the Rasa server's channels
(run in .venv/rasa, where Rasa lives): the sms channel sends no text for it
(neither an empty one nor its JSON), a text message next to it still goes,
and the widget's history answer carries the question for a widget that
catches up."""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

SCRIPT = """
import asyncio, json
from bot.rasa_server.channels.sms import SmsOutput
from bot.rasa_server.channels.widget import messages_since

custom = {"data": {"satisfaction": {"offer": "abc123", "question": "Hvor tilfreds er du med hjælpen i dag?"}}}
sent = []

async def outbox(self, recipient_id, message, kind="reply"):
    sent.append(message)

SmsOutput._outbox = outbox
output = SmsOutput.__new__(SmsOutput)
offered = {"text": None, "custom": dict(custom), "utter_action": "utter_satisfaction_offer"}
asyncio.run(output.send_response("sms-1", offered))
asyncio.run(output.send_response("sms-1", {"text": "", "custom": dict(custom)}))
asyncio.run(output.send_response("sms-1", {"text": "Anne har afsluttet samtalen."}))
events = [
    {"event": "bot", "text": None, "timestamp": 10, "data": {"custom": custom}},
    {"event": "bot", "text": "hej", "timestamp": 11, "data": {}},
    {"event": "bot", "text": None, "timestamp": 12, "data": {"custom": {"data": {"satisfaction": {"offer": 5}}}}},
]
print(json.dumps({"sent": sent, "history": messages_since(events, 1.0)}))
"""


@pytest.fixture(scope="module")
def found() -> dict[str, object]:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", SCRIPT],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_sms_channel_sends_no_text_for_the_question(found: dict[str, object]) -> None:
    assert found["sent"] == [{"text": "Anne har afsluttet samtalen.", "image": "", "buttons": []}]


def test_the_history_carries_the_question_and_nothing_malformed(found: dict[str, object]) -> None:
    history = found["history"]
    assert isinstance(history, dict)
    assert history["messages"] == [
        {
            "text": "",
            "buttons": [],
            "at": 10.0,
            "satisfaction": {"offer": "abc123", "question": "Hvor tilfreds er du med hjælpen i dag?"},
        },
        {"text": "hej", "buttons": [], "at": 11.0},
        {"text": "", "buttons": [], "at": 12.0},
    ]
