import asyncio

from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleFallback
from tests.helpers import make_tracker, responses


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


def run(events: list[dict], text: str = "blah") -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ActionHandleFallback().run(dispatcher, make_tracker(events=events, text=text), {}))
    return responses(dispatcher), result


def test_first_misunderstanding_asks_to_rephrase() -> None:
    said, events = run([user("greet"), {"event": "bot"}, user("nlu_fallback")])
    assert said == ["utter_default"]
    assert events == [UserUtteranceReverted()]


def test_second_in_a_row_offers_a_person() -> None:
    history = [user("nlu_fallback"), {"event": "bot"}, {"event": "rewind"}, user("nlu_fallback")]
    said, _ = run(history)
    assert said == ["utter_offer_person"]


def test_understood_message_in_between_resets() -> None:
    said, _ = run([user("nlu_fallback"), user("greet"), user("nlu_fallback")])
    assert said == ["utter_default"]


def test_empty_message() -> None:
    said, _ = run([user("nlu_fallback")], text="   ")
    assert said == ["utter_empty_message"]
