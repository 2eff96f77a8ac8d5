"""Less CPU per turn in the Rasa server, with the same behaviour (runs inside it).

Found with py-spy on the Rasa server under `make bench`'s load (README,
"Sizing"); each change does what Rasa 3.6 does, only without work whose
result never changes while the server runs:

- The action server's answer is checked against Rasa's schema for events,
  whose `oneOf` lists 23 event kinds; jsonschema tries every one of them for
  every event. Each kind has its own `const` for the field `event`, so at most
  one of them can match: the answer is checked against that one alone. Only
  when that finds a fault is the answer checked against the whole schema,
  which raises Rasa's own error, word for word.
- Reading a conversation (the tracker store) turns every stored event into
  its class with `Event.resolve_by_type`, which walks every subclass of Event
  (with `inspect.isabstract` on each) for every event; slots likewise. The
  class found for a type name is kept. All event and slot classes are
  imported when the server starts (Rasa's and ours; none is defined later).
- `Domain.is_empty`, asked on every message, built an empty Domain each time
  to compare with; the empty domain's contents are kept once.
- The requests to the action server are serialised with ujson (a Rasa
  dependency) instead of the standard json module, about twice as fast on
  the conversation that goes with every call; the same JSON values (a value
  ujson cannot write is written by json as before).
- Each call to the action server (two or three a turn) opened a client
  session and a TCP connection of its own and closed both after the answer
  (Rasa's `EndpointConfig.request`): the calls of a turn now share one kept
  session per event loop, whose connections are kept for KEEPALIVE_SECONDS,
  shorter than the action server's own idle limit (Sanic: 5 s) and
  HAProxy's, so the client always closes an idle connection first and never
  sends over one the other end is closing. A kept connection whose server
  died since the last call (killed, started again) fails to take the
  request's body; such a request never reached any server and is sent once
  more, over a new connection.
- Once the model is loaded, what is in memory then (the model, the domain,
  Rasa's modules) is moved out of the garbage collector's sight
  (`gc.freeze`): its full collections walked all of it again and again,
  though none of it ever becomes garbage.
- The RulePolicy looks up the rules that fit the conversation through an
  index by the latest previous action, and stops walking back through the
  conversation past the longest rule (bot/rasa_server/rule_index.py).

Written against Rasa 3.6 (the launcher checks the version before `install`).
"""

from __future__ import annotations

import asyncio
import copy
import functools
import gc
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import ujson
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

logger = logging.getLogger(__name__)


def _validator(schema: dict[str, Any]) -> Any:
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    """Rasa's whole schema for an action server's answer."""
    return _validator(RemoteAction.action_response_format_spec())


@functools.lru_cache(maxsize=1)
def event_kinds() -> tuple[Any, dict[str, Any]]:
    """The answer's schema without the events' `oneOf`, and a validator for
    each event kind by the `const` of its field `event`."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    event_schema = schema["properties"]["events"]["items"]
    kinds: dict[str, Any] = {}
    for kind in event_schema.pop("oneOf"):
        name = kind["properties"]["event"]["const"]
        if not isinstance(name, str) or name in kinds:  # the dispatch below would not be exact
            raise RuntimeError(f"Rasa's event schema changed: kind {name!r}")
        kinds[name] = _validator(kind)
    return _validator(schema), kinds


def faults(result: Any) -> Iterator[ValidationError]:
    """The faults of an answer, as Rasa's schema finds them (nothing when it is valid)."""
    outer, kinds = event_kinds()
    found = list(outer.iter_errors(result))
    if found:
        yield from found
        return
    for event in result.get("events") or []:
        # Valid against the outer schema: an object with a string `event`.
        kind = kinds.get(event["event"])
        if kind is None:
            yield ValidationError(f"{event['event']!r} is not an event kind")
        else:
            yield from kind.iter_errors(event)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result: the same verdict and, for a
    faulty answer, the same error as Rasa's check."""
    if next(faults(result), None) is None:
        return True
    from jsonschema.exceptions import best_match

    error: ValidationError | None = best_match(response_validator().iter_errors(result))
    if error is None:  # cannot happen: the kinds are the whole schema's alternatives
        raise ValidationError("the answer did not match one event kind")
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        "endpoint is valid."
    )
    raise error


def remembering(resolve: Callable[..., Any]) -> Callable[..., Any]:
    """A `resolve_by_type` that keeps the class found for each type name."""
    found: dict[str, Any] = {}

    def resolve_by_type(type_name: str, *args: Any) -> Any:
        known = found.get(type_name)
        if known is not None:
            return known
        resolved = resolve(type_name, *args)
        if getattr(resolved, "type_name", None) == type_name:  # never a default or a miss
            found[type_name] = resolved
        return resolved

    return resolve_by_type


def is_empty(self: Domain) -> bool:
    """Domain.is_empty against an empty domain made once."""
    return bool(self.as_dict() == empty_domain())


@functools.lru_cache(maxsize=1)
def empty_domain() -> dict[str, Any]:
    empty: dict[str, Any] = Domain.empty().as_dict()
    return empty


def fast_dumps(value: Any) -> str:
    """JSON for a request body: ujson, or json where ujson cannot (NaN, unknown types)."""
    try:
        return str(ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False))
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)


KEEPALIVE_SECONDS = 2.0


class _Borrowed:
    """`async with` over a kept session: lends it, never closes it."""

    def __init__(self, kept: aiohttp.ClientSession) -> None:
        self.kept = kept

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.kept

    async def __aexit__(self, *exc: object) -> None:
        return None


_kept: dict[tuple[Any, ...], aiohttp.ClientSession] = {}


def kept_session(self: EndpointConfig) -> _Borrowed:
    """EndpointConfig.session as Rasa makes it (its headers, auth and timeout,
    with the fast JSON serialiser), one per event loop and endpoint settings,
    kept open between calls. Rasa's two callers use it as `async with`."""
    loop = asyncio.get_running_loop()
    auth = (self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    key = (loop, tuple(sorted((self.headers or {}).items())), auth)
    found = _kept.get(key)
    if found is None or found.closed:
        for other in [k for k in _kept if k[0].is_closed()]:  # a finished loop's (tests run several)
            del _kept[other]
        found = _kept[key] = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            headers=self.headers,
            auth=aiohttp.BasicAuth(*auth) if auth else None,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=fast_dumps,
        )
    return _Borrowed(found)


_NOT_SENT = "Can not write request body"  # aiohttp's words when the connection was closing


def retrying_once_unsent(request: Callable[..., Any]) -> Callable[..., Any]:
    """EndpointConfig.request, sent again when a kept connection turned out
    dead before the request was written (so no server can have run it)."""

    @functools.wraps(request)
    async def send(self: EndpointConfig, *args: Any, **kwargs: Any) -> Any:
        try:
            return await request(self, *args, **kwargs)
        except aiohttp.ClientOSError as error:
            if not str(error.strerror or "").startswith(_NOT_SENT):
                raise
            logger.debug("a kept connection had closed; the request goes again over a new one")
            return await request(self, *args, **kwargs)

    return send


async def close_kept_sessions() -> None:
    """The running loop's kept sessions, closed (at the server's stop)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _kept if k[0] is loop]:
        await _kept.pop(key).close()


def closing_kept_sessions(close_resources: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(close_resources)
    async def close(*args: Any) -> None:
        await close_kept_sessions()
        await close_resources(*args)

    return close


def frozen_after(load_agent: Callable[..., Any]) -> Callable[..., Any]:
    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        agent = await load_agent(*args, **kwargs)
        gc.collect()
        gc.freeze()
        logger.debug("model loaded; %d objects frozen for the garbage collector", gc.get_freeze_count())
        return agent

    return load_agent_on_start


def install() -> None:
    import rasa.core.run

    from bot.rasa_server import rule_index

    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(remembering(Event.resolve_by_type))
    Slot.resolve_by_type = staticmethod(remembering(Slot.resolve_by_type))
    Domain.is_empty = is_empty
    EndpointConfig.session = kept_session
    EndpointConfig.request = retrying_once_unsent(EndpointConfig.request)
    rasa.core.run.load_agent_on_start = frozen_after(rasa.core.run.load_agent_on_start)
    rasa.core.run.close_resources = closing_kept_sessions(rasa.core.run.close_resources)
    rule_index.install()
