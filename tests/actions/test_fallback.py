import asyncio
from typing import Any

import pytest
from rasa_sdk.events import FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.fallback import ActionHandleFallback
from bot.db.models import Escalation
from bot.db.seed import seed_services
from bot.db.youth import bind
from tests.actions.youth_helpers import young
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


def test_a_misunderstood_message_that_reads_as_an_enrollment_starts_the_form_on_it(session: Session) -> None:
    text = "jonas og jeg vil gerne på kurset 🙂 termin 17/4, skriv til ida.larsen@mail.dk"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user("nlu_fallback")], text=text, intent="nlu_fallback", sender_id="conv-f")
    result = asyncio.run(ActionHandleFallback().run(dispatcher, tracker, {}))
    assert responses(dispatcher) == ["utter_start_enrollment"]
    assert result == [
        SlotSet("lookup_purpose", "enroll"),
        SlotSet("enrollment_known", False),
        FollowupAction("enrollment_form"),
    ]


@pytest.mark.parametrize("offer", ["utter_iamabot", "utter_offer_person"])
def test_a_yes_to_the_offer_of_a_person_is_a_request_for_one_whatever_nlu_made_of_it(
    session: Session, offer: str
) -> None:
    history = [
        user("bot_challenge"),
        {"event": "bot", "text": "…", "metadata": {"utter_action": offer}},
        user("nlu_fallback"),
    ]
    tracker = make_tracker(events=history, text="ja vil gerne ha et menneske", intent="nlu_fallback", sender_id="c-y")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ActionHandleFallback().run(dispatcher, tracker, {}))
    assert responses(dispatcher) == ["utter_handoff_started"]
    assert result[-1] == FollowupAction("contact_form") and SlotSet("handoff_failed", False) in result
    session.expire_all()
    assert session.scalars(select(Escalation).where(Escalation.conversation_id == "c-y")).one().status == "new"


def test_a_no_to_the_offer_of_a_person_opens_no_case(session: Session) -> None:
    history = [user("bot_challenge"), {"event": "bot", "metadata": {"utter_action": "utter_iamabot"}}]
    tracker = make_tracker(events=[*history, user("nlu_fallback")], text="nej tak", intent="nlu_fallback")
    said, _ = responses_of(tracker)
    assert said == ["utter_default"]
    assert session.scalars(select(Escalation)).all() == []


def responses_of(tracker: Any) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ActionHandleFallback().run(dispatcher, tracker, {}))
    return responses(dispatcher), result


@pytest.mark.usefixtures("fixed_youth_clock")
def test_a_held_meeting_told_in_a_misunderstood_message_starts_the_log_for_an_identified_young_person(
    session: Session,
) -> None:
    sofie = young(session, "UNG-F", "Sofie", "Lene")
    bind(session, "conv-young", sofie.id, "pairing")
    session.commit()
    text = "torsdag i sidste uge, m min mentor"
    said, result = responses_of(make_tracker(text=text, intent="nlu_fallback", sender_id="conv-young"))
    assert said == [] and result == [FollowupAction("log_meeting_form")]
    # Not identified here (a parent's meeting with the nurse), or asked as a question: no log.
    said, _ = responses_of(make_tracker(text=text, intent="nlu_fallback", sender_id="conv-parent"))
    assert said == ["utter_default"]
    asked = make_tracker(text="var mødet i går med min mentor?", intent="nlu_fallback", sender_id="conv-young")
    assert responses_of(asked)[0] == ["utter_default"]
    # Met with someone named: "det var i fredags kl 10 med Mette", read as a bare answer.
    named = make_tracker(text="det var i fredags kl 10 med Mette", intent="inform", sender_id="conv-young")
    assert responses_of(named) == ([], [FollowupAction("log_meeting_form")])
    future = make_tracker(text="det er på fredag med Mette", intent="inform", sender_id="conv-young")
    assert responses_of(future)[0] == ["utter_default"]


def checked_in(text: str, sender: str) -> Any:
    history = [
        user("possible_distress"),
        {"event": "action", "name": "utter_danger_check_in"},
        {"event": "action", "name": "action_pause_for_check_in"},
        {"event": "action", "name": "action_listen"},
        user("inform"),
    ]
    return make_tracker(events=history, text=text, intent="inform", sender_id=sender)


def test_an_answer_to_the_check_in_that_is_no_plain_no_is_taken_as_danger(session: Session) -> None:
    said, result = responses_of(checked_in("ja tak, ring gerne paa 26 11 22 33", "conv-ci"))
    assert said == ["utter_distress_help", "utter_distress_contact"]
    assert result[-1] == FollowupAction("contact_form")
    session.expire_all()
    case = session.scalars(select(Escalation).where(Escalation.conversation_id == "conv-ci")).one()
    assert (case.reason, case.priority) == ("distress", "critical")


def test_a_no_to_the_check_in_with_more_words_is_a_no(session: Session) -> None:
    said, _ = responses_of(checked_in("nej, men ring gerne til mig i morgen", "conv-no"))
    assert said == ["utter_check_in_safe"]
    assert session.scalars(select(Escalation)).all() == []


@pytest.mark.parametrize("text", ["My name is Daniel Brooks", "jeg hedder Mette Olsen", "termin d 3. april"])
def test_a_detail_given_to_the_course_offer_starts_the_enrolment_on_it(session: Session, text: str) -> None:
    history = [
        user("ask_course_info"),
        {"event": "bot", "text": "… Vil I tilmeldes?", "metadata": {"utter_action": "utter_course_info"}},
        user("nlu_fallback"),
    ]
    tracker = make_tracker(events=history, text=text, intent="nlu_fallback", sender_id="conv-o")
    said, result = responses_of(tracker)
    assert said == ["utter_start_enrollment"] and result[-1] == FollowupAction("enrollment_form")


def test_a_detail_without_the_course_offer_is_not_understood(session: Session) -> None:
    history = [user("greet"), {"event": "bot", "metadata": {"utter_action": "utter_greet"}}, user("nlu_fallback")]
    said, _ = responses_of(make_tracker(events=history, text="My name is Daniel Brooks", intent="nlu_fallback"))
    assert said == ["utter_default"]


@pytest.mark.parametrize("text", ["nej. jeg har bare haft det rigtig svært på det sidste", "i feel so alone tbh"])
def test_a_misunderstood_message_that_tells_feeling_bad_is_offered_a_person(session: Session, text: str) -> None:
    history = [user("faq"), {"event": "bot", "metadata": {"utter_action": "utter_anything_else"}}]
    tracker = make_tracker(events=[*history, user("nlu_fallback")], text=text, intent="nlu_fallback")
    said, events = responses_of(tracker)
    assert said == ["utter_feelings_offer_person"]
    assert events == [FollowupAction("action_listen")]  # the message is kept: staff read it if the yes comes
    assert session.scalars(select(Escalation)).all() == []  # only a yes opens a case
