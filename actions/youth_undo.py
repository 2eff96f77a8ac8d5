"""Right after a young person's request or record is saved (issue 17): the
receipt says what was saved and "Er noget forkert, så skriv 'fortryd' eller
skriv det rigtige". The next message is read here (data/rules/youth.yml):

- "fortryd", "slet det igen" (read as `stop`, any time outside a form), or right after the
  save "nej", "nej det er forkert", "det var ikke rigtigt": exactly that save
  is taken back (the held meeting's row deleted, the request withdrawn, the
  education change removed and the profile's programme as it was), and the
  right values are invited. Only the conversation's own young person's last
  save, and only once;
- "nej, det var i torsdags", "det var kl 15", "d. 5/1": the saved day or time
  is corrected (for a held meeting also what was talked about, added);
- "ja", "ok", "tak", "👍" (many answer the yes/no they expect): a short
  answer, nothing saved twice;
- after a held meeting saved without a note, the receipt asks what was talked
  about: "nej" is no note (taking it back is "fortryd" or "nej, det er
  forkert"), "ja" asks for it, and a message that says something is the note;
- anything else goes where it would have gone (a new request starts its form;
  the rest to the fallback, actions/fallback.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import latest_intent, phrased_as_a_question
from actions.education import KIND_NAMES, entity_value, programme_in_words, said_day
from actions.meeting_requests import say_window
from actions.meetings import describe_held, note_in, only_a_time
from actions.transaction import Reply, Transaction
from actions.youth_forms import (
    EDUCATION,
    HELD,
    LAST_SAVE,
    REQUEST,
    at_local,
    corrects_when,
    held_time,
    local_today,
    user_turns,
)
from actions.youth_identity import young_person
from bot.dates import Window, find_date, find_time, find_window
from bot.dates.references import within_span
from bot.db import meetings as meeting_repo
from bot.db import youth_corrections as repo
from bot.db.youth_models import MeetingStatus, MentorMeeting, YouthProfile
from bot.shared.spelling import fold
from bot.shared.undo_words import says_undo

_NO = re.compile(r"^\W*(?:nej|nope|nah|næh|naeh|no\b|👎|❌)", re.IGNORECASE)
# "nej tak", "nej det er fint", "nej det var det": nothing is wrong (the whole message says no more).
_NO_THANKS = re.compile(
    r"^\W*nej\W+(?:tak|ellers\s+tak|det\s+er\s+(?:fint|godt|rigtigt|ok|okay)|det\s+passer|det\s+var\s+(?:det|alt)|"
    r"alt\s+er\s+(?:fint|godt)|ikke\s+(?:mere|andet))(?:\W+tak)?[\W\s]*$",
    re.IGNORECASE,
)
_WRONG = re.compile(
    r"\b(?:forkert|ikke\s+rigtig\w*|passer\s+ikke|stemmer\s+ikke|fejl|wrong|slet\s+det|fjern\s+det)\b", re.IGNORECASE
)
_THANKS_OR_YES = re.compile(
    r"^\W*(?:ja|jo|jep|jeps|yes|yep|ok|okay|okey|oki|fint|fedt|super|perfekt|godt|nice|cool|sejt|top|"
    r"tak|tusind\s+tak|mange\s+tak|tak\s+skal\s+du\s+have|takker|ty|thanks|👍|👌|🙏|😊|🙂|❤️|♥️|💯|✅)"
    r"(?:\W+(?:tak|så|det|er|godt|fint|super|skal|du|have|mange|for|hjælpen|ja|ok|👍|🙏|😊|🙂))*\W*$",
    re.IGNORECASE,
)
_ASKS = re.compile(r"^\W*(?:hvad|hva|hvem|hvor|hvordan|hvornår|hvorfor|hvilke|hvilken|hvilket|what|when|where)\b", re.I)
_GO_AHEAD = re.compile(r"^\W*(?:ja|jo|jep|jeps|yes|yep|gerne|ja\s+gerne|ja\s+tak|sure|okay?\s+gerne)\W*$", re.I)
# A note says something: words, not a digit or an emoji ("4" is no note; nothing is stored that was not said).
_SAYS_SOMETHING = re.compile(r"[^\W\d_]{2,}")
_NEW_REQUEST = re.compile(r"\b(?:møde\w*|moede\w*|mentor\w*|kontaktperson\w*|også|ogsaa|et\s+til|en\s+til)\b", re.I)
_FUTURE = re.compile(r"\b(?:starter|begynder|skal\s+(?:starte|begynde|stoppe|skifte)|stopper)\b", re.IGNORECASE)
# Where a message goes when it is none of these, as it would have without the save.
ELSEWHERE = {"out_of_scope": "utter_out_of_scope", "faq": "action_answer_service"}
FORMS = {
    "log_meeting": "log_meeting_form",
    "book_meeting": "book_meeting_form",
    "update_education": "education_form",
    "reschedule_meeting": "reschedule_meeting_form",
    "cancel_meeting": "cancel_meeting_form",
}


def remembered(tracker: Tracker) -> dict[str, Any] | None:
    value = tracker.get_slot(LAST_SAVE)
    return value if isinstance(value, dict) and value.get("kind") in (HELD, REQUEST, EDUCATION) else None


def just_saved(tracker: Tracker, last: dict[str, Any] | None) -> bool:
    """Whether the save was in the turn before this message (or the turns since were read here)."""
    return last is not None and not last.get("undone") and last.get("turn") == user_turns(tracker) - 1


def a_new_request(text: str, intent: str, last: dict[str, Any], tracker: Tracker) -> bool:
    """ "havde også et møde i fredags", "er også startet på kørekort": another one, not a correction."""
    if intent not in FORMS or re.match(r"^\W*(?:nej|det\s+var|det\s+er|ikke|vent|hov|ups)\b", text, re.I):
        return False
    if last["kind"] == EDUCATION:
        named = entity_value(tracker, "programme") or programme_in_words(text)
        # "startede paa hf i mandags" right after "har skiftet til hf" was saved: the same change, its day
        return bool(named) and fold(str(named)) != fold(str(last.get("programme") or ""))
    return bool(_NEW_REQUEST.search(text))


def reads_a_correction(kind: str, text: str) -> bool:
    """ "nej, det var i torsdags", "det var kl 15", "d. 5/1": what the save's kind can take as a correction."""
    today = local_today()
    if kind == HELD:
        return tells_when(text) or bool(note_in(text))
    if kind == REQUEST:
        return corrects_when(text, find_window(text, today) is not None or find_time(text) is not None)
    return corrects_when(text, education_day(text) is not None)


def tells_when(text: str) -> bool:
    """ "nej det var i torsdags", "kl 15", "omkring halv 11 tror jeg": a held meeting's day or time
    corrected; "hvad bliver vejret i morgen?" is a question, not a correction."""
    if _ASKS.match(text):
        return False
    named = find_date(text, local_today(), "past") is not None or find_time(text) is not None
    return corrects_when(text, named) or only_a_time(text)


def education_day(text: str) -> date | None:
    return find_date(text, local_today(), "future" if _FUTURE.search(text) else "past")


class ActionAfterYouthSave(Action):
    def name(self) -> str:
        return "action_after_youth_save"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "").strip()
        intent = latest_intent(tracker) or ""
        last = remembered(tracker)
        if says_undo(text):
            if last is None or last.get("undone"):
                said = "utter_youth_already_undone" if last else "utter_youth_nothing_to_undo"
                dispatcher.utter_message(response=said)
                return []
            return self.in_transaction(dispatcher, tracker, last, take_back)
        if last is None or not just_saved(tracker, last):
            return self.as_without_a_save(dispatcher, intent)
        if last["kind"] == HELD and last.get("asks_note"):
            answered = self.note_answer(dispatcher, tracker, text, intent, last)
            if answered is not None:
                return answered
        if last["kind"] == REQUEST and intent in ("reschedule_meeting", "cancel_meeting"):
            # "kan vi rykke det til kl 15", "aflys det igen": the meeting just asked for
            today = local_today()
            if intent == "cancel_meeting" and find_date(text, today) is None:
                return self.in_transaction(dispatcher, tracker, last, take_back)
            if intent == "reschedule_meeting" and (find_window(text, today) or find_time(text)):
                return self.in_transaction(dispatcher, tracker, last, correct)
        if a_new_request(text, intent, last, tracker):
            return self.as_without_a_save(dispatcher, intent)
        refreshed: list[EventType] = [SlotSet(LAST_SAVE, last | {"turn": user_turns(tracker)})]
        if last.get("offer") and (_NO.match(text) or intent == "deny") and not _WRONG.search(text):
            dispatcher.utter_message(response="utter_youth_no_talk")  # "nej tak" to the talk offered
            return refreshed
        if reads_a_correction(str(last["kind"]), text):
            return self.in_transaction(dispatcher, tracker, last, correct)
        if _NO_THANKS.match(text):
            dispatcher.utter_message(response="utter_youth_saved_ack")
            return refreshed
        if intent == "deny" or _NO.match(text) or _WRONG.search(text):
            return self.in_transaction(dispatcher, tracker, last, take_back)
        if intent in ("affirm", "thank") or _THANKS_OR_YES.match(text):
            response = "utter_youth_saved_ack_offer" if last.get("offer") else "utter_youth_saved_ack"
            dispatcher.utter_message(response=response)
            return refreshed
        return self.as_without_a_save(dispatcher, intent)

    @staticmethod
    def as_without_a_save(dispatcher: CollectingDispatcher, intent: str) -> list[EventType]:
        if intent in ("thank", "stop"):
            dispatcher.utter_message(response="utter_youre_welcome" if intent == "thank" else "utter_nothing_to_stop")
            return []
        return [FollowupAction(FORMS.get(intent) or ELSEWHERE.get(intent) or "action_handle_fallback")]

    def note_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, intent: str, last: dict[str, Any]
    ) -> list[EventType] | None:
        """The answer to "Vil du skrive kort, hvad I talte om?"; None: not an
        answer to it (a correction, taking it back, a new request, a thanks)."""
        if a_new_request(text, intent, last, tracker) or tells_when(text) or _WRONG.search(text):
            return None
        thanks = intent == "thank" or (_THANKS_OR_YES.match(text) and not _GO_AHEAD.match(text))
        if says_undo(text) or thanks or (phrased_as_a_question(text) and not note_in(text)):
            return None  # "hvad er efterværn?" right after: the question it is, no note
        asked_again = last | {"turn": user_turns(tracker)}
        if intent == "deny" or _NO.match(text):
            dispatcher.utter_message(response="utter_meeting_no_note")
            return [SlotSet(LAST_SAVE, asked_again | {"asks_note": False})]
        if _GO_AHEAD.match(text):
            dispatcher.utter_message(response="utter_meeting_note_go_ahead")
            return [SlotSet(LAST_SAVE, asked_again)]
        if intent == "affirm":
            return None  # "ja det er rigtigt": the receipt is right, answered as a yes to it
        if intent != "stop" and _SAYS_SOMETHING.search(text):
            return self.in_transaction(dispatcher, tracker, last, add_note)
        return None

    def in_transaction(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        last: dict[str, Any],
        change: Callable[[Session, YouthProfile, Tracker, dict[str, Any]], tuple[list[Reply], dict[str, Any] | None]],
    ) -> list[EventType]:
        changed: dict[str, Any] | None = None
        with Transaction(dispatcher, self.name()) as tx:
            profile = young_person(tx, tracker)
            if profile is not None:
                replies, changed = change(tx.session, profile, tracker, last)
                tx.reply_all(replies)
        if tx.failed or changed is None:
            return []
        return [SlotSet(LAST_SAVE, changed | {"turn": user_turns(tracker)})]


# Taking back ----------------------------------------------------------------


def take_back(
    session: Session, profile: YouthProfile, tracker: Tracker, last: dict[str, Any]
) -> tuple[list[Reply], dict[str, Any] | None]:
    """The replies, and the remembered save marked undone (None: nothing was changed).
    Only a row of this young person's, made in this conversation, as the save left it."""
    row_id, here = int(last["id"]), tracker.sender_id
    undone = last | {"undone": True}
    if last["kind"] == HELD:
        held = repo.just_logged(session, profile.id, row_id, here)
        if held is None:
            return [("utter_youth_nothing_to_undo", {})], None
        day = describe_meeting_day(held, last)
        repo.delete_logged(session, held)
        return [("utter_youth_undone_meeting_log", {"meeting_day": day})], undone
    if last["kind"] == REQUEST:
        requested = repo.just_requested(session, profile.id, row_id, here)
        if requested is None:
            return [too_late_or_nothing(session, profile, row_id)], None
        window = say_window(window_of(requested))
        repo.withdraw_request(session, requested)
        return [("utter_youth_undone_request", {"window": window, "mentor_name": profile.mentor_name})], undone
    event = repo.just_recorded(session, profile.id, row_id)
    if event is None:
        return [("utter_youth_nothing_to_undo", {})], None
    reply = ("utter_youth_undone_education", {"change": KIND_NAMES[event.kind], "programme": event.programme})
    repo.undo_education(session, profile, event, before=pair(last.get("before")), after=pair(last.get("after")))
    return [reply], undone


def too_late_or_nothing(session: Session, profile: YouthProfile, meeting_id: int) -> Reply:
    meeting = meeting_repo.own_meeting(session, profile.id, meeting_id)
    if meeting is not None and meeting.status == MeetingStatus.CONFIRMED:
        return ("utter_youth_undo_too_late", {"mentor_name": meeting.with_whom})
    return ("utter_youth_nothing_to_undo", {})


def pair(value: Any) -> tuple[str | None, str | None]:
    first, second = (list(value) + [None, None])[:2] if isinstance(value, list) else (None, None)
    return (str(first) if first else None, str(second) if second else None)


# Correcting -----------------------------------------------------------------


def correct(
    session: Session, profile: YouthProfile, tracker: Tracker, last: dict[str, Any]
) -> tuple[list[Reply], dict[str, Any] | None]:
    """The saved day or time (or a held meeting's note) as the message corrects it."""
    text, row_id, today = str(tracker.latest_message.get("text") or ""), int(last["id"]), local_today()
    if last["kind"] == HELD:
        held = repo.just_logged(session, profile.id, row_id, tracker.sender_id)
        start = repo.local_start(held) if held is not None else None
        if held is None or start is None:
            return [("utter_youth_nothing_to_undo", {})], None
        found, moment = find_date(text, today, "past"), find_time(text)
        if not tells_when(text):
            found, moment = None, None  # "vi talte om at jeg starter på fredag": a note, the day kept
        day = found or start.date()
        if day > today:
            return [("utter_meeting_date_in_future", {})], None
        kept = held_time(day, moment or (start.time() if last.get("timed") else None))
        note = note_in(text)
        repo.move_logged(session, held, at_local(day, kept), note)
        said = describe_held(day.isoformat() + (f"T{kept:%H:%M}" if kept else ""))
        reply = ("utter_meeting_log_corrected", {"meeting_day": said, "note": f' med noten "{note}"' if note else ""})
        return [reply], last | {"timed": kept is not None}
    if last["kind"] == REQUEST:
        requested = repo.just_requested(session, profile.id, row_id, tracker.sender_id)
        if requested is None:
            return [too_late_or_nothing(session, profile, row_id)], None
        window = corrected_window(text, window_of(requested), today)
        if window is None:
            return [("utter_meeting_window_in_past", {})], None
        exact = at_local(window.first, window.at) if window.at and window.first == window.last else None
        repo.change_request(session, requested, first=window.first, last=window.last, window_text=text, starts_at=exact)
        reply = ("utter_meeting_request_corrected", {"mentor_name": profile.mentor_name, "window": say_window(window)})
        return [reply], last
    event = repo.just_recorded(session, profile.id, row_id)
    on = education_day(text)
    if event is None or on is None:
        return [("utter_youth_nothing_to_undo", {})], None
    repo.redate_education(session, event, on)
    change = {"change": KIND_NAMES[event.kind], "programme": event.programme, "when": said_day(on)}
    return [("utter_education_corrected", change)], last


def add_note(
    session: Session, profile: YouthProfile, tracker: Tracker, last: dict[str, Any]
) -> tuple[list[Reply], dict[str, Any] | None]:
    """What was talked about, told after the save: added to that held meeting."""
    note = " ".join(str(tracker.latest_message.get("text") or "").split())[:500]
    held = repo.just_logged(session, profile.id, int(last["id"]), tracker.sender_id)
    if held is None or held.starts_at is None:
        return [("utter_youth_nothing_to_undo", {})], None
    repo.move_logged(session, held, held.starts_at, note)
    said = {"meeting_day": describe_meeting_day(held, last), "note": note, "mentor_name": profile.mentor_name}
    return [("utter_meeting_note_added", said)], last | {"asks_note": False}


def describe_meeting_day(meeting: MentorMeeting, last: dict[str, Any]) -> str:
    start = repo.local_start(meeting)
    if start is None:
        return "?"
    return describe_held(start.date().isoformat() + (f"T{start:%H:%M}" if last.get("timed") else ""))


def window_of(meeting: MentorMeeting) -> Window:
    start = repo.local_start(meeting)
    first = meeting.window_first or (start.date() if start else local_today())
    return Window(first, meeting.window_last or first, None, start.time() if start else None)


def corrected_window(text: str, current: Window, today: date) -> Window | None:
    """ "torsdag kl 15": that (within the days asked for, when they were a
    span: "næste uge", then "torsdag" is next week's); "det var kl 15": the same
    day(s) at 15; "nej torsdag": at the same time. None: in the past."""
    window, moment = find_window(text, today), find_time(text)
    window = within_span(window, text, current) if window is not None else None
    if window is None and moment is not None:
        window = Window(current.first, current.last, None, moment)
    elif window is not None and window.at is None and current.at and window.first == window.last:
        window = Window(window.first, window.last, None, current.at)
    if window is None or window.last < today:
        return None
    return window
