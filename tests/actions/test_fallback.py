import asyncio

from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.fallback import ActionHandleFallback
from bot.db.seed import seed_services
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


def test_a_question_not_understood_right_after_a_service_answer_is_about_that_service(session: Session) -> None:
    seed_services(session)
    session.commit()
    answered = [
        user("faq"),
        {"event": "action", "name": "action_answer_service"},
        {"event": "bot"},
        {"event": "slot", "name": "service_topic", "value": "tandpleje"},
    ]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        events=[*answered, user("nlu_fallback")], text="og fra hvilken alder?", intent="nlu_fallback"
    )
    tracker.slots["service_topic"] = "tandpleje"
    result = asyncio.run(ActionHandleFallback().run(dispatcher, tracker, {}))
    assert result == [] and responses(dispatcher) == ["utter_service_read_more"]  # not reverted: understood
    assert "tandpleje" in dispatcher.messages[0]["service_read_more"].lower()


def test_a_question_not_understood_later_is_not_taken_for_the_old_service() -> None:
    earlier = [user("faq"), {"event": "action", "name": "action_answer_service"}, user("greet"), {"event": "bot"}]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[*earlier, user("nlu_fallback")], text="og fra hvilken alder?", intent="nlu_fallback")
    tracker.slots["service_topic"] = "tandpleje"
    asyncio.run(ActionHandleFallback().run(dispatcher, tracker, {}))
    assert responses(dispatcher) == ["utter_default"]
