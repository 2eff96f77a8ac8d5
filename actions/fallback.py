from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import phrased_as_a_question, read_yes_no, today
from actions.handover import ActionRequestHuman, previous_response
from actions.lookup import ActionStartLookup, enrollment_instead, reads_as_enrollment
from actions.meetings import tells_a_held_meeting
from actions.safety import ActionEscalateDistress, ActionResumeAfterCheckIn, offer_for_feelings
from actions.services import ActionAnswerService, ActionAnswerServiceDetail
from actions.transaction import Transaction
from actions.youth_identity import identified_profile, redeem_unread_code
from bot.db.enrollments import find_active_for_conversation
from bot.forms.enrollment_extract import read_enrollment
from bot.shared.course_cancel import says_cancel

MISUNDERSTOOD_BEFORE_OFFERING_A_PERSON = 2
CHECK_IN = "action_pause_for_check_in"
SERVICE_ANSWERS = ("action_answer_service", "action_answer_service_detail")
# The assistant's messages that offer a person with a yes/no question.
PERSON_OFFERS = frozenset(
    {
        "utter_offer_person",
        "utter_iamabot",
        "utter_concern_offer_person",
        "utter_feelings_offer_person",
        "utter_report_concern",
    }
)
# config.yml's FallbackClassifier: below this, NLU is unsure; at or above it, a
# fallback comes from two intents too close to tell apart (tests/actions/test_fallback.py).
FALLBACK_THRESHOLD = 0.45
# The ResponseSelector sure of a service question's topic (0.97-1.0 on the blind sets).
SURE_TOPIC = 0.9


def last_turns_actions(tracker: Tracker) -> list[str]:
    """The assistant's actions between the previous user message and the latest one, newest first."""
    names: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                break
        elif users == 1 and event.get("event") == "action":
            names.append(str(event.get("name")))
    return names


def action_before_message(tracker: Tracker) -> str | None:
    """The assistant's last action before the latest user message (not the listening)."""
    return next((name for name in last_turns_actions(tracker) if name != "action_listen"), None)


def just_answered_a_service(tracker: Tracker) -> bool:
    """Whether the assistant's last turn answered a question about a service."""
    answered = any(name in SERVICE_ANSWERS for name in last_turns_actions(tracker))
    return answered and bool(tracker.get_slot("service_topic"))


FALLBACK_ACTION = "action_handle_fallback"


def misunderstood_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood: the
    one this fallback is handling now, and before it each that NLU could not
    read or that ended in this fallback (gibberish read as `inform` at 0.47
    is as little understood as one read as nothing)."""
    events = tracker.events
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    count = 1 if users else 0
    for index in reversed(users[:-1]):
        intent = (events[index].get("parse_data") or {}).get("intent", {}).get("name")
        handled_by = [e.get("name") for e in events[index + 1 :] if e.get("event") == "action"]
        if intent != "nlu_fallback" and FALLBACK_ACTION not in handled_by[:2]:
            break
        count += 1
    return count


def a_service_question_too_close_to_call(tracker: Tracker) -> bool:
    """NLU fell back only because a service question (`faq`, confident enough
    on its own) was too close to another intent, and the ResponseSelector is
    sure which service: a parent asking where a couple in conflict after
    the birth can get advice was `faq` 0.52 next to the course 0.47, the
    family counselling at 1.0, and got "Det forstod jeg ikke helt" (fourth
    blind set)."""
    if (tracker.latest_message.get("intent") or {}).get("name") != "nlu_fallback":
        return False
    ranking = [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if not ranking or ranking[0].get("name") != "faq" or float(ranking[0].get("confidence") or 0) < FALLBACK_THRESHOLD:
        return False
    selected = (tracker.latest_message.get("response_selector") or {}).get("faq") or {}
    return float((selected.get("response") or {}).get("confidence") or 0) >= SURE_TOPIC


def answers_the_course_offer(tracker: Tracker) -> bool:
    """A detail of an enrolment (a name, a date, a partner, a contact) given
    right after the course's description, which ends "Vil I tilmeldes?"."""
    if previous_response(tracker) != "utter_course_info":
        return False
    reading = read_enrollment(str(tracker.latest_message.get("text") or ""), today())
    details = (reading.parent_name, reading.child_date, reading.partner_name, reading.email, reading.phone)
    return any(detail is not None for detail in details)


def enrolled_here(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Whether this conversation has enrolled already (then the message is not a new enrolment);
    on a database error, as if not: the form's own checks answer then."""
    with Transaction(dispatcher, "action_handle_fallback", error_reply=None) as tx:
        known = find_active_for_conversation(tx.session, tracker.sender_id) is not None
    return not tx.failed and known


def identified_here(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Whether a young person has identified in this conversation (a parent's "møde i går" is no log)."""
    with Transaction(dispatcher, "action_handle_fallback", error_reply=None) as tx:
        profile, _ = identified_profile(tx.session, tracker)
    return not tx.failed and profile is not None


class ActionHandleFallback(Action):
    """First misunderstanding: ask to rephrase. Second in a row: offer a person."""

    def name(self) -> str:
        return FALLBACK_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        if not text:
            dispatcher.utter_message(response="utter_empty_message")
            return [UserUtteranceReverted()]
        if action_before_message(tracker) == CHECK_IN:
            # "Er du eller et barn i fare lige nu?" answered with neither a plain yes nor a
            # plain no ("ja tak, ring gerne paa 26 11 22 33"): only a no is a no.
            if read_yes_no(text, tracker) is False:
                return await ActionResumeAfterCheckIn().run(dispatcher, tracker, domain)
            dispatcher.utter_message(response="utter_distress_help")
            events = await ActionEscalateDistress().run(dispatcher, tracker, domain)
            return [*events, FollowupAction("contact_form")]
        redeemed = redeem_unread_code(dispatcher, tracker)
        if redeemed is not None:
            return redeemed
        if phrased_as_a_question(text) and just_answered_a_service(tracker):
            # "fra hvilken alder og til hvornår?" right after the answer about dental care:
            # a question about that service, answered with what more there is to read about it
            return await ActionAnswerServiceDetail().run(dispatcher, tracker, domain)
        if a_service_question_too_close_to_call(tracker):
            return await ActionAnswerService().run(dispatcher, tracker, domain)
        if says_cancel(text) and enrolled_here(dispatcher, tracker):
            # "undskyld, kan du melde os fra igen?" right after enrolling, which NLU
            # could not read: this conversation's enrolment is called off (the look-up
            # form asks before it cancels)
            return await ActionStartLookup().run(dispatcher, tracker, domain)
        if previous_response(tracker) in PERSON_OFFERS and read_yes_no(text, tracker) is True:
            # "ja vil gerne ha et menneske" to "Skal jeg give din samtale videre …?": the yes,
            # whatever NLU made of the rest
            events = await ActionRequestHuman().run(dispatcher, tracker, domain)
            return [*events, FollowupAction("contact_form")]
        if (reads_as_enrollment(tracker) or answers_the_course_offer(tracker)) and not enrolled_here(
            dispatcher, tracker
        ):
            # "jonas og jeg vil gerne på kurset 🙂 termin 17/4, skriv til ida@…", or "My name is
            # Daniel Brooks" to the course's "Vil I tilmeldes?": the enrollment form starts on
            # this message and asks only what is missing
            return enrollment_instead(dispatcher)
        if tells_a_held_meeting(text) and not phrased_as_a_question(text) and identified_here(dispatcher, tracker):
            # "torsdag i sidste uge, m min mentor": the log form starts on this message
            # (it asks who the young person is first, if it does not know)
            return [FollowupAction("log_meeting_form")]
        if offer_for_feelings(dispatcher, tracker):
            # "nej. jeg er bare så ked af det for tiden", which NLU could not read: not
            # "Det forstod jeg ikke helt" but the offer of a person (a yes to it hands over)
            return [FollowupAction("action_listen")]
        if misunderstood_in_a_row(tracker) >= MISUNDERSTOOD_BEFORE_OFFERING_A_PERSON:
            dispatcher.utter_message(response="utter_offer_person")
            # Listen next, as after NLU's own fallback: reached as the policies'
            # fallback (gibberish read as `inform`), nothing else would stop it.
            return [FollowupAction("action_listen")]
        dispatcher.utter_message(response="utter_default")
        # Forget the misunderstood message so the conversation continues as if
        # it was never sent (the counter reads the raw events, not the story).
        return [UserUtteranceReverted()]
