"""The Rasa server's launcher: its faster action-response check accepts and
rejects exactly what Rasa's own check does, and it refuses to change the
methods of another Rasa version. Runs in the Rasa environment, where Rasa
lives."""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.shared.settings import ROOT
from bot.training import RASA_PYTHON, quiet_rasa_env

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

CHECK = """
import json, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
from bot.rasa_server import launcher as rasa_server

def verdict(response):
    try:
        return RemoteAction("action_submit_enrollment", None)._validate_action_result(response)
    except jsonschema.ValidationError as error:
        assert "Failed to validate Action server response" in error.message
        return "invalid"

responses = json.loads(sys.argv[1])
rasa_verdicts = {name: verdict(response) for name, response in responses.items()}
rasa_server.install()
print(json.dumps({name: [rasa_verdicts[name], verdict(response)] for name, response in responses.items()}))
"""

RESPONSES = {
    "slots and a message": {
        "events": [{"event": "slot", "name": "reference", "value": "FMH-4T8PZ"}],
        "responses": [{"response": "utter_enrolled"}],
    },
    "nothing": {},
    "form deactivated": {"events": [{"event": "active_loop", "name": None}], "responses": []},
    "unknown event": {"events": [{"event": "no_such_event"}], "responses": []},
    "events not a list": {"events": "slot", "responses": []},
    "response not an object": {"events": [], "responses": ["hej"]},
}
EXPECTED = {
    "slots and a message": True,
    "nothing": True,
    "form deactivated": True,
    "unknown event": "invalid",
    "events not a list": "invalid",
    "response not an object": "invalid",
}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, list[object]]:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", CHECK, json.dumps(RESPONSES)],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, list[object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize("name", RESPONSES)
def test_same_verdict_as_rasa(name: str, verdicts: dict[str, list[object]]) -> None:
    rasa_answer, ours = verdicts[name]
    assert rasa_answer == ours == EXPECTED[name]


VERSION_CHECK = """
import rasa
from bot.rasa_server.launcher import check_rasa_version
check_rasa_version(rasa.__version__)
check_rasa_version("3.7.0")
"""


def test_the_launcher_refuses_another_rasa_version_loudly() -> None:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", VERSION_CHECK],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1  # the installed 3.6 passes; 3.7 stops the server before it starts
    assert "changes Rasa 3.6.x's methods; this is Rasa 3.7.0" in done.stderr
