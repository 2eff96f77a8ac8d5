"""What a message says in so many words wins over the classifier:
- a pairing code and little else ("K7P-4QX", "koden er k7p 4qx") is
  `identify`, whatever DIET made of six random characters (measured on the
  blind conversations, it read a bare code as `identify` for some codes and
  as nothing for others, and a young person just asked for their code was
  told "Det forstod jeg ikke helt"); bot/shared/pairing_code.py; a code with
  a request read as `identify` is the young person's request NLU read next
  (the code is redeemed by the request's action, the request no longer lost);
- a person asked for (bot/shared/person_request.py) is `request_human`, and
- the course called off (bot/shared/course_cancel.py) is `cancel_enrollment`,
  both only over a yes, a no, chit-chat or nothing; a family calling off
  its place ("kan du afmelde os igen?") also over a young person's meeting
  or a concern, and "afmeld den her" over a concern; a call from the
  municipality asked for ("can someone from the kommune call me?") also over
  a question about contact details or opening hours, and a person asked for
  with a verb also over "er du en bot?" in the same message;
- a question about when the municipality can be reached
  (bot/shared/hours_question.py) is `ask_opening_hours`, over nothing, chit-chat
  or a request for a person; one about where to call ("hvor ringer man hen",
  bot/shared/contact_question.py) is `ask_contact_details`, over nothing or a
  guess at the location or more to read;
- an education stopped, told in the past tense (bot/shared/told_stop.py), is
  `update_education`, never the command `stop`;
- a wish to sign up for the course (bot/shared/enrol_wish.py) is
  `enroll_course`, over a question about the course or nothing, and with
  the course named and no meeting, over a young person's meeting intent;
- a young person's wish to see their meetings, or to note down one that was
  held, in so many words (bot/shared/meeting_words.py) is `list_meetings` or
  `log_meeting`, over a guess at booking, the code or nothing; a new meeting
  asked for ("kan vi lave et nyt møde om to uger?") is `book_meeting` over a
  guess at moving one, unless the message moves or cancels one too ("kan vi
  få et ekstra?", the meeting named, also over a guess at a held one); one
  called off ("kan ikk nå mødet d. 15, kan vi bare droppe det") is
  `cancel_meeting` over a guess at moving it or nothing, unless another
  time is asked for;
- a message that only asks to take back what was just saved ("fortryd",
  "slet det igen", bot/shared/undo_words.py) is `stop`, over anything (NLU
  read "slet det igen" as `delete_my_data`, which offers to delete the whole
  conversation, and "undo" as nothing): inside a form the form stops,
  outside one a young person's last save is taken back;
- a question naming a support service by its own word, which the
  ResponseSelector also picked ("fædregrupper når forløbet er slut", "a
  place at a kindergarten", bot/shared/service_words.py), is `faq` over a
  question about the course, a wish to sign up or nothing: the classifier
  read such questions as the course (ask_course_info at 0.66-1.0) while the
  ResponseSelector was sure of the service.
Before the DangerDetector, which still has the last word."""

from __future__ import annotations

from collections.abc import Callable

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.components import StatelessComponent
from bot.shared import (
    contact_question,
    corrections,
    course_cancel,
    enrol_wish,
    hours_question,
    meeting_words,
    pairing_code,
    person_request,
    service_words,
    told_stop,
    undo_words,
)

# (the intent, the intents it overrides or None for any, the reader), first match wins.
READERS: list[tuple[str, frozenset[str] | None, Callable[[str], bool]]] = [
    ("identify", None, pairing_code.only_a_code),
    ("stop", None, undo_words.says_undo),
    ("request_human", person_request.OVERRIDDEN, person_request.asks_for_a_person),
    ("request_human", person_request.CALL_OVERRIDDEN, person_request.asks_to_be_called),
    ("request_human", person_request.CALL_OVERRIDDEN, person_request.asks_for_someone_from_here),
    ("request_human", person_request.CHALLENGE_OVERRIDDEN, person_request.asks_past_the_bot),
    ("request_human", person_request.CONCERN_OVERRIDDEN, person_request.asks_for_someone_about_it),
    ("request_human", person_request.OVERRIDDEN, person_request.asks_someone_to_look),
    ("cancel_enrollment", course_cancel.OVERRIDDEN, course_cancel.cancels_the_course),
    ("cancel_enrollment", course_cancel.US_OVERRIDDEN, course_cancel.calls_off_our_place),
    ("cancel_enrollment", course_cancel.THIS_OVERRIDDEN, course_cancel.calls_this_off),
    ("cancel_enrollment", course_cancel.STATUS_OVERRIDDEN, course_cancel.cancels_the_parents_course),
    ("ask_opening_hours", hours_question.OVERRIDDEN, hours_question.asks_when_open),
    ("ask_contact_details", contact_question.OVERRIDDEN, contact_question.asks_where_to_call),
    ("update_education", told_stop.OVERRIDDEN, told_stop.tells_a_stop),
    ("enroll_course", enrol_wish.OVERRIDDEN, enrol_wish.wants_to_enrol),
    ("enroll_course", enrol_wish.NAMED_COURSE_OVERRIDDEN, enrol_wish.wants_the_named_course),
    ("list_meetings", meeting_words.SEE_OVERRIDDEN, meeting_words.wants_to_see_meetings),
    ("log_meeting", meeting_words.NOTE_OVERRIDDEN, meeting_words.notes_a_held_meeting),
    ("reschedule_meeting", meeting_words.MOVE_OVERRIDDEN, meeting_words.moves_a_meeting_that_does_not_suit),
    ("book_meeting", meeting_words.NEW_OVERRIDDEN, meeting_words.asks_for_a_new_meeting),
    ("book_meeting", meeting_words.ONE_MORE_OVERRIDDEN, meeting_words.asks_for_one_more),
    ("cancel_meeting", meeting_words.CALL_OFF_OVERRIDDEN, meeting_words.calls_off_a_meeting),
    ("inform", corrections.OVERRIDDEN, corrections.corrects_a_value),
]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ExplicitRequestReader(StatelessComponent, IntentClassifier):
    reads = (
        pairing_code,
        corrections,
        person_request,
        course_cancel,
        hours_question,
        contact_question,
        told_stop,
        enrol_wish,
        undo_words,
        meeting_words,
        service_words,
    )

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            predicted = (message.get("intent") or {}).get("name")
            text = str(message.get("text") or "")
            name = next(
                (
                    name
                    for name, overridden, reads in READERS
                    if (overridden is None or predicted in overridden) and reads(text)
                ),
                None,
            )
            if name is None and predicted in ("identify", "nlu_fallback"):
                name = request_with_a_code(message)
            topic = selected_topic(message)
            if name is None and (
                (
                    predicted in service_words.OVERRIDDEN
                    and service_words.asks_about_the_named_service(text, topic, predicted)
                )
                or service_words.a_service_question_read_as_a_concern(text, topic, predicted)
            ):
                name = SERVICE_QUESTION
            if name is not None:
                intent = {"name": name, "confidence": 1.0}
                ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != name]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", [intent, *ranking], add_to_output=True)
        return messages


SERVICE_QUESTION = "faq"
# A young person's requests, each of which redeems a pairing code given with it (actions/youth_identity.py).
YOUTH_REQUESTS = frozenset(
    {
        "list_meetings",
        "book_meeting",
        "reschedule_meeting",
        "cancel_meeting",
        "log_meeting",
        "update_education",
        "education_status",
    }
)
# How sure NLU must be of the request under `identify` in a message that holds a code and more.
REQUEST_WITH_A_CODE_READ = 0.05


def request_with_a_code(message: Message) -> str | None:
    """A code with a request ("hej min kode er K6X-3JE, kan du vise mine tider med Kasper?"),
    read as `identify` or as nothing: the request NLU read next, if it is a young person's request (the
    action redeems the code first); None for a code with only a few words around it."""
    text = str(message.get("text") or "")
    if pairing_code.find_code(text) is None or pairing_code.only_a_code(text):
        return None
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") not in ("identify", "nlu_fallback")]
    if not ranking:
        return None
    best = ranking[0]
    read = best.get("name") in YOUTH_REQUESTS and float(best.get("confidence") or 0) >= REQUEST_WITH_A_CODE_READ
    return str(best["name"]) if read else None


def selected_topic(message: Message) -> str | None:
    """The ResponseSelector's pick for a `faq` question ("dagtilbud"), before this component."""
    selected = (message.get("response_selector") or {}).get(SERVICE_QUESTION) or {}
    key = str((selected.get("response") or {}).get("intent_response_key") or "")
    return key.split("/", 1)[1] if "/" in key else None
