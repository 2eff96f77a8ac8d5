import asyncio

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.enrollment_summary import consent_text
from actions.session import ActionSessionStart
from tests.helpers import make_tracker


def test_session_starts_with_the_municipality_file_in_slots() -> None:
    events = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), make_tracker(), {}))
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    assert SlotSet("municipality_phone", "70 10 20 30") in events
    assert SlotSet("course_end_months", "15") in events
    assert SlotSet("course_meetings", "14") in events


def test_the_consent_question_comes_from_the_municipality_file(domain: dict) -> None:
    from bot.shared.municipality import current_municipality

    events = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), make_tracker(), {}))
    consent = current_municipality().privacy.enrollment_consent
    assert SlotSet("privacy_enrollment_consent", consent) in events
    # The enrollment's summary shows it (its own question replaced by the summary's one question).
    shown = consent_text(make_tracker(slots={"privacy_enrollment_consent": consent}))
    assert shown.startswith(consent.removesuffix("Må vi gemme oplysningerne?").strip())
    assert domain["responses"]["utter_ask_enrollment_confirmed"][0]["text"].endswith("{consent_text}")
