"""The Rasa server's speed-ups (bot/rasa_server/speedups.py) give what Rasa's
own code gives: the same verdict and error for every action server answer,
the same event and slot classes, the same JSON values, the same empty-domain
answer. Each is compared with Rasa's original, in the Rasa environment."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import in_rasa

pytestmark = pytest.mark.rasa  # runs Rasa itself in .venv/rasa

COMPARE = r"""
import asyncio, gc, json, math, sys
import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.utils.common import all_subclasses
from rasa.shared.utils.schemas.events import EVENT_SCHEMA
from bot.rasa_server import speedups

def verdict(response):
    try:
        return RemoteAction("validate_enrollment_form", None)._validate_action_result(response)
    except jsonschema.ValidationError as error:
        assert "Failed to validate Action server response" in error.message, error.message
        return "invalid: " + error.message.split(". Failed to validate")[0]

def resolved(resolve, name):
    try:
        found = resolve(name)
        return None if found is None else found.__name__
    except Exception as error:
        return type(error).__name__

answers = json.loads(sys.argv[1])
kinds = [kind["properties"]["event"]["const"] for kind in EVENT_SCHEMA["oneOf"]]
names = kinds + ["topic", "no_such_event"]
slot_names = [cls.type_name for cls in all_subclasses(Slot)] + ["no.such.Slot"]
domain = Domain.load("domain")
payload = json.loads(sys.argv[2])
before = {
    "verdicts": {name: verdict(answer) for name, answer in answers.items()},
    "events": {name: resolved(Event.resolve_by_type, name) for name in names},
    "slots": {name: resolved(Slot.resolve_by_type, name) for name in slot_names},
    "empty": [Domain.empty().is_empty(), domain.is_empty()],
}
speedups.install()
after = {
    "verdicts": {name: verdict(answer) for name, answer in answers.items()},
    # twice: the second answer comes from what the first kept
    "events": {name: [resolved(Event.resolve_by_type, name) for _ in "12"][1] for name in names},
    "slots": {name: [resolved(Slot.resolve_by_type, name) for _ in "12"][1] for name in slot_names},
    "empty": [Domain.empty().is_empty(), domain.is_empty()],
}
fast = {
    "same JSON": json.loads(speedups.fast_dumps(payload)) == payload,
    "NaN as json writes it": math.isnan(json.loads(speedups.fast_dumps({"x": math.nan}))["x"]),
    "a set fails as with json": type(speedups.fast_dumps({"x": 1})).__name__,
}
try:
    speedups.fast_dumps({"x": {1, 2}})
except TypeError:
    fast["a set fails as with json"] = "TypeError"

async def load_agent(*args, **kwargs):
    return "agent"

gc.unfreeze()
loaded = asyncio.run(speedups.frozen_after(load_agent)())
fast["frozen after loading"] = loaded == "agent" and gc.get_freeze_count() > 0
print(json.dumps({"before": before, "after": after, "fast": fast, "kinds": kinds}))
"""

EVENT = {"timestamp": 1733493600.123456, "metadata": {}}
USER = {
    "event": "user",
    "text": "vi vil gerne tilmelde os kurset, æøå",
    "parse_data": {
        "intent": {"name": "enroll", "confidence": 0.9312345678},
        "intent_ranking": [{"name": "enroll", "confidence": 0.9312345678}],
        "entities": [{"entity": "team_code", "value": "NORD", "start": 0, "end": 4}],
        "response_selector": {"all_retrieval_intents": ["faq"]},
    },
}
ANSWERS: dict[str, Any] = {
    "slots and a message": {
        "events": [{"event": "slot", "name": "reference", "value": "FMH-4T8PZ"}],
        "responses": [{"response": "utter_enrolled"}],
    },
    "nothing": {},
    "form deactivated": {"events": [{"event": "active_loop", "name": None}], "responses": []},
    "every kind": {
        "events": [
            {"event": kind, "name": "x", "value": 1, "entities": []} | EVENT
            for kind in ("action", "slot", "entities", "user_featurization", "cancel_reminder", "reminder")
            + ("action_execution_rejected", "form_validation", "loop_interrupted", "form", "active_loop")
            + ("reset_slots", "resume", "pause", "followup", "export", "restart", "undo", "rewind", "bot")
            + ("session_started", "agent")
        ]
        + [USER | EVENT]
    },
    "unknown event": {"events": [{"event": "no_such_event"}], "responses": []},
    "events not a list": {"events": "slot", "responses": []},
    "response not an object": {"events": [], "responses": ["hej"]},
    "event without a kind": {"events": [{"name": "reference", "value": 1}]},
    "event not an object": {"events": ["slot"]},
    "kind not a string": {"events": [{"event": 7}]},
    "slot without a value": {"events": [{"event": "slot", "name": "reference"}]},
    "slot name not a string": {"events": [{"event": "slot", "name": 3, "value": 1}]},
    "entities without a value": {"events": [{"event": "entities", "entities": [{"entity": "team_code"}]}]},
    "user text a number": {"events": [USER | {"text": 5}]},
    "user confidence a string": {"events": [USER | {"parse_data": {"intent": {"name": "x", "confidence": "high"}}}]},
    "user selector neither": {
        "events": [USER | {"parse_data": {"response_selector": {"all_retrieval_intents": "faq"}}}]
    },
    "timestamp a string": {"events": [{"event": "restart", "timestamp": "now"}]},
    "metadata a list": {"events": [{"event": "bot", "metadata": []}]},
    "no answer at all": None,
    "a list": [],
}
VALID = {"slots and a message", "nothing", "form deactivated", "every kind"}
# What the action server is sent: a conversation's state, as Rasa writes it.
PAYLOAD = {
    "next_action": "validate_enrollment_form",
    "sender_id": "bench-1-abc",
    "tracker": {
        "events": [USER | EVENT, {"event": "slot", "name": "due_date", "value": "12.03.2027"} | EVENT],
        "slots": {"first_child": True, "partner": None, "children": 2, "score": 0.1 + 0.2, "url": "a/b"},
        "latest_message": USER["parse_data"],
    },
    "version": "3.6.21",
}


@pytest.fixture(scope="module")
def compared() -> dict[str, Any]:
    return in_rasa(COMPARE, json.dumps(ANSWERS), json.dumps(PAYLOAD))[0]


@pytest.mark.parametrize("name", ANSWERS)
def test_an_answer_gets_rasas_verdict_and_error(name: str, compared: dict[str, Any]) -> None:
    rasa_verdict = compared["before"]["verdicts"][name]
    assert compared["after"]["verdicts"][name] == rasa_verdict
    assert (rasa_verdict is True) == (name in VALID)


def test_every_event_kind_of_rasas_schema_is_checked(compared: dict[str, Any]) -> None:
    every_kind = {event["event"] for event in ANSWERS["every kind"]["events"]}
    assert every_kind == set(compared["kinds"])


def test_event_and_slot_classes_are_rasas(compared: dict[str, Any]) -> None:
    before, after = compared["before"], compared["after"]
    assert after["events"] == before["events"]
    assert after["slots"] == before["slots"]
    assert before["events"]["user"] == "UserUttered"
    assert before["events"]["topic"] is None
    assert before["events"]["no_such_event"] == "ValueError"


def test_the_empty_domain_is_recognised_as_before(compared: dict[str, Any]) -> None:
    assert compared["after"]["empty"] == compared["before"]["empty"] == [True, False]


def test_requests_carry_the_same_json_and_the_model_is_frozen(compared: dict[str, Any]) -> None:
    assert compared["fast"] == {
        "same JSON": True,
        "NaN as json writes it": True,
        "a set fails as with json": "TypeError",
        "frozen after loading": True,
    }


KEPT = r"""
import asyncio, json, os, signal, socket, subprocess, sys, time
import aiohttp
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
import rasa.core.run
from bot.rasa_server import speedups

SERVER = '''
import sys
from aiohttp import web
async def answer(request):
    body = await request.json()
    if body.get("fail"):
        return web.json_response({"error": "no"}, status=500)
    return web.json_response({"echo": body, "peer": request.transport.get_extra_info("peername")[1]})
app = web.Application()
app.router.add_post("/webhook", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
'''

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

port = free_port()

def start():
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the test server did not start")

endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
payload = {"tracker": {"sender_id": "æøå", "events": [{"event": "user", "text": "hej/med dig"}]}, "n": 1.5}

async def ask(body=payload):
    return await endpoint.request(json=body, method="post")

async def rasas_answers():
    return [await ask(), await ask()]

async def kept_answers(server):
    seen = {}
    first, second = await ask(), await ask()
    seen["same answer as Rasa's"] = [first["echo"], second["echo"]]
    seen["one connection for a turn's calls"] = first["peer"] == second["peer"]
    together = await asyncio.gather(*[ask({"n": n}) for n in range(6)])
    seen["calls at once each get their own answer"] = [a["echo"]["n"] for a in together] == list(range(6))
    try:
        await ask({"fail": True})
    except ClientResponseError as error:
        seen["an error status raises Rasa's error"] = error.status
    await asyncio.sleep(speedups.KEEPALIVE_SECONDS + 0.4)
    seen["an idle connection is closed by the client"] = (await ask())["peer"] != second["peer"]
    server.send_signal(signal.SIGKILL)  # the action server killed and started again between turns
    server.wait()
    server = start()
    seen["the call after a restart is answered"] = (await ask())["echo"] == payload
    await speedups.close_kept_sessions()  # as at the server's stop
    seen["closed at the stop"] = not speedups._kept
    return seen, server

server = start()
try:
    before = asyncio.run(rasas_answers())
    speedups.KEEPALIVE_SECONDS = 0.5
    speedups.install()
    after, server = asyncio.run(kept_answers(server))
    async def in_a_new_loop():
        answer = await ask()
        await speedups.close_kept_sessions()
        return answer
    after["a new event loop gets a session of its own"] = asyncio.run(in_a_new_loop())["echo"] == payload
    after["Rasa's stop closes them"] = getattr(rasa.core.run.close_resources, "__wrapped__", None) is not None
finally:
    server.kill()
print(json.dumps({"rasa": [a["echo"] for a in before], "kept": after}))
"""


def test_a_turns_calls_to_the_action_server_share_a_kept_connection() -> None:
    result, stderr = in_rasa(KEPT)
    kept = result["kept"]
    assert kept.pop("same answer as Rasa's") == result["rasa"]
    assert kept.pop("an error status raises Rasa's error") == 500
    assert kept == dict.fromkeys(kept, True) and len(kept) == 7
    assert "Unclosed" not in stderr  # every kept session closed
