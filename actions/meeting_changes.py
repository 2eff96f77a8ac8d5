"""Moving or cancelling a meeting both sides agreed on: the meeting on the
day the message names, its place in the list just shown, else the one shown
or the next; a reason when given in passing; said back and confirmed with a
yes before anything is stored; nothing is deleted (the old row is marked
moved or cancelled). A move that turns out to be a cancellation ("kan vi
ikke bare skippe det", "nej, annuller det hellere") goes on as one, with the meeting
kept. Asking for a new meeting: actions/meeting_requests.py."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import read_yes_no
from actions.meeting_requests import (
    SAME_TIME,
    WindowExtraction,
    describe_window,
    exact_start,
    window_fields,
    window_from_slot,
    window_to_slot,
)
from actions.meetings import describe_when
from actions.transaction import Reply, Transaction
from actions.youth_forms import NOTHING_SAVED, YOUTH_SLOTS, YouthSubmit, local_today
from actions.youth_identity import identified_profile, now
from bot.dates import Window, find_time, find_window, format_danish_date, references
from bot.dates.references import MeetingReference, new_time_on, position_in_list, read_meeting_reference
from bot.db import meetings as repo
from bot.db.youth_models import MentorMeeting, YouthProfile
from bot.shared.clock import DANISH_TIME


class MeetingChoice(WindowExtraction):
    """Which meeting: the one on the day the message names ("mødet på fredag"),
    its place in the list just shown ("det første", "den anden"), or else the
    one shown or the next ("det", "mødet"). Moving, the same message may give
    the new time too ("kan vi rykke det til torsdag kl 14": torsdag is the new
    time, not the meeting; bot/dates/references.py). The reason is taken when
    given ("er syg", "pga arbejde"), never asked for."""

    window_from_start = False
    moving = False
    confirm_first = True  # a meeting both sides agreed on: said back, and changed only after a yes

    def slots_needed(self, tracker: Tracker) -> list[str]:
        # Listed only once given, so that it is kept (rasa-sdk validates, and keeps, only required slots).
        given = [slot for slot in self.form_slots if slot != "change_reason" or tracker.get_slot("change_reason")]
        return given + self.final_yes(tracker)

    async def extract_meeting_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = _REASON.search(self.text(tracker)) if self.starting(tracker) else None
        given = {"change_reason": reason.group(0).strip()[:300]} if reason else {}
        if self.cancels_instead(tracker):
            # validate_meeting_choice ends the move; action_move_meeting starts the cancellation
            return given | self.called_off(dispatcher, tracker)
        if self.names_another_meeting(tracker):
            # "det på tirsdag" to "Skal jeg aflyse mødet 15. januar?": that one, asked again
            with Transaction(dispatcher, self.name(), error_reply=None) as tx:
                slots = choose_meeting(tx.session, tracker, self.reference(tracker))
            chosen = slots.get("meeting_choice")
            return {"meeting_choice": chosen} if not tx.failed and chosen and not chosen.startswith("none:") else {}
        if tracker.get_slot("meeting_choice") and not self.asked(tracker, "meeting_choice"):
            return given  # chosen already (the meeting a reminder was about)
        if not (self.starting(tracker) or self.asked(tracker, "meeting_choice")):
            return given
        reference = read_meeting_reference(self.text(tracker), local_today(), moving=self.moving)
        # No reply on a database error: the form stops, and its submit action says it.
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            slots = choose_meeting(tx.session, tracker, reference)
        if tx.failed:
            return {"youth_outcome": "error"}
        return given | slots

    def cancels_instead(self, tracker: Tracker) -> bool:
        """Moving, a message that calls the meeting off and names no move ("kan vi ikke
        bare skippe det", "nej, annuller det hellere"): at the start, asked for the new time, or at the summary."""
        if not self.moving or not (
            self.starting(tracker) or self.asked(tracker, "meeting_window") or self.asked(tracker, "youth_confirm")
        ):
            return False
        text = self.text(tracker)
        return bool(_CALLED_OFF.search(text)) and not _MOVED.search(text)

    def called_off(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """The meeting to cancel instead: the one chosen already, else the one the message names."""
        meeting = str(tracker.get_slot("meeting_choice") or "")
        if not meeting.isdigit():
            reference = read_meeting_reference(self.text(tracker), local_today(), moving=False)
            with Transaction(dispatcher, self.name(), error_reply=None) as tx:
                meeting = str(choose_meeting(tx.session, tracker, reference).get("meeting_choice") or "")
            if tx.failed:
                return {"youth_outcome": "error"}
        return {"meeting_choice": f"{CANCEL_INSTEAD}:{meeting}" if meeting.isdigit() else meeting}

    def reference(self, tracker: Tracker) -> MeetingReference:
        return read_meeting_reference(self.text(tracker), local_today(), moving=self.moving)

    def names_another_meeting(self, tracker: Tracker) -> bool:
        """Cancelling, the summary answered with a day or a place in the list
        and no yes. Moving, a day at the summary is the new time."""
        if self.moving or not self.asked(tracker, "youth_confirm"):
            return False
        if read_yes_no(self.text(tracker), tracker) is True:
            return False  # "nej, den anden" is a no to this one and the other one named
        reference = self.reference(tracker)
        return reference.on is not None or reference.position is not None or reference.within is not None

    def corrects(self, text: str) -> bool:
        return super().corrects(text) or (not self.moving and position_in_list(text) is not None)

    async def extract_meeting_window(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = self.text(tracker)
        if self.cancels_instead(tracker):
            return {}  # "nej, annuller det, vi ses alligevel onsdag": no new time
        if self.starting(tracker):
            reference = read_meeting_reference(text, local_today())
            if reference.new_time is not None:
                moved_to = self.at_the_same_time(dispatcher, tracker, reference.new_time)
                return {"meeting_window": window_to_slot(moved_to, text)}
            # "mødet mandag kl 9 … kan vi tage kl 11 samme dag": the day the message names, before one is chosen
            day = (self.chosen_day(dispatcher, tracker) or reference.on) if reference.same_day else None
            moved = new_time_on(day, text) if day else None
            return {"meeting_window": window_to_slot(moved, text)} if moved else {}
        if self.asked(tracker, "meeting_window") and find_window(text, local_today()) is None and find_time(text):
            day = self.chosen_day(dispatcher, tracker)  # "kl 16 samme dag", "samme dag kl 16"
            if day is not None:
                return {"meeting_window": window_to_slot(Window(day, day, None, find_time(text)), text)}
        found: dict[str, Any] = await super().extract_meeting_window(dispatcher, tracker, domain)
        window = window_from_slot(found.get("meeting_window"))
        if window is not None:
            found["meeting_window"] = window_to_slot(self.at_the_same_time(dispatcher, tracker, window), text)
        return found

    def chosen_when(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[date | None, time | None]:
        with Transaction(dispatcher, self.name(), error_reply=None) as tx:
            when = meeting_when(tx.session, tracker)
        return (None, None) if tx.failed else when

    def chosen_day(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> date | None:
        return self.chosen_when(dispatcher, tracker)[0]

    def at_the_same_time(self, dispatcher: CollectingDispatcher, tracker: Tracker, window: Window) -> Window:
        """ "onsdag d. 20 samme tid": that day at the chosen meeting's time; a
        weekday alone is the one nearest the meeting (bot/dates/references.py)."""
        day, at = self.chosen_when(dispatcher, tracker)
        window = references.nearest_to_meeting(window, self.text(tracker), day) if day else window
        if window.at is not None or window.first != window.last or not SAME_TIME.search(self.text(tracker)):
            return window
        return Window(window.first, window.last, None, at) if at else window

    def validate_meeting_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if str(value).startswith(f"{CANCEL_INSTEAD}:"):
            return {"meeting_choice": str(value).partition(":")[2], "youth_outcome": CANCEL_INSTEAD}
        if str(value).startswith("none:"):
            on = str(value)[5:]
            if on:
                dispatcher.utter_message(
                    response="utter_no_meeting_that_day", meeting_day=format_danish_date(date.fromisoformat(on))
                )
            else:
                dispatcher.utter_message(response="utter_no_meetings_to_change")
            return {"meeting_choice": None, "youth_outcome": "no_meeting"}
        return {"meeting_choice": value}

    async def extract_change_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.free_text(tracker, "change_reason", 300, nothing="ikke oplyst")


# Moving, the meeting called off instead ("kan vi ikke bare skippe det", "annuller det"), unless the
# same message moves it ("drop fredag, tag tirsdag i stedet").
CANCEL_INSTEAD = "cancel_instead"  # the outcome; "cancel_instead:<id>" the choice that ends the move
_CALLED_OFF = re.compile(
    r"\b(?:aflys\w*|annuller\w*|cancel\w*|drop|droppe|droppes|dropper|slet|slette|slettes|skip|skippe)\b", re.I
)
_MOVED = re.compile(r"\b(?:flyt\w*|ryk\w*|i\s*stedet|move|reschedule|en\s+anden\s+(?:dag|tid|gang))\b", re.I)
# A reason given in passing: "er syg", "pga arbejde", "fordi jeg har eksamen".
_REASON = re.compile(
    r"\b(?:fordi|pga\.?|på grund af|er syg|syg|har (?:arbejde|skole|eksamen)|skal arbejde)\b[^.!?]*", re.I
)


def meeting_when(session: Session, tracker: Tracker) -> tuple[date | None, time | None]:
    """The day and time of the meeting chosen in this form ("kl 16 samme dag", "onsdag samme tid")."""
    choice = str(tracker.get_slot("meeting_choice") or "")
    profile, _ = identified_profile(session, tracker)
    meeting = repo.own_meeting(session, profile.id, int(choice)) if profile and choice.isdigit() else None
    if meeting is None:
        return None, None
    if meeting.starts_at is None:
        return meeting.window_first, None
    local = meeting.starts_at.astimezone(DANISH_TIME)
    return local.date(), local.time()


def meeting_day(meeting: MentorMeeting) -> date | None:
    """The Danish day a meeting is on (a requested one: the first day asked for)."""
    if meeting.starts_at is not None:
        return meeting.starts_at.astimezone(DANISH_TIME).date()
    return meeting.window_first


def choose_meeting(session: Session, tracker: Tracker, reference: MeetingReference) -> dict[str, Any]:
    profile, _ = identified_profile(session, tracker)
    if profile is None:
        return {}
    when = now()
    meeting = None
    if reference.on is not None:
        meeting = repo.pick_meeting(session, profile.id, when, reference.on)
        if meeting is None and reference.on == local_today():
            # "mødet på tirsdag" said on a Tuesday with no meeting left today: next Tuesday's
            meeting = repo.pick_meeting(session, profile.id, when, reference.on + timedelta(days=7))
        if meeting is None:
            return {"meeting_choice": "none:" + reference.on.isoformat()}
    elif reference.within is not None:
        first, last = reference.within
        upcoming = repo.upcoming_meetings(session, profile.id, when, limit=50)
        meeting = next((m for m in upcoming if (day := meeting_day(m)) is not None and first <= day <= last), None)
    else:
        upcoming = repo.upcoming_meetings(session, profile.id, when, limit=50)
        position = reference.position or 0
        meeting = upcoming[position] if -len(upcoming) <= position < len(upcoming) else None
    if meeting is None:
        return {"meeting_choice": "none:"}
    return {"meeting_choice": str(meeting.id)}


class ValidateRescheduleMeetingForm(MeetingChoice, FormValidationAction):
    moving = True
    form_slots = ("meeting_choice", "meeting_window", "change_reason")

    def name(self) -> str:
        return "validate_reschedule_meeting_form"


class ValidateCancelMeetingForm(MeetingChoice, FormValidationAction):
    form_slots = ("meeting_choice", "change_reason")

    def name(self) -> str:
        return "validate_cancel_meeting_form"


class ChangeMeeting(YouthSubmit):
    """Move or cancel the chosen meeting, after the young person said yes
    (a mixin: the two actions below are what the action server registers)."""

    cancel = False
    confirm_first = True

    def save(self, session: Session, profile: YouthProfile, tracker: Tracker) -> list[Reply]:
        choice, value = str(tracker.get_slot("meeting_choice") or ""), tracker.get_slot("meeting_window")
        reason = tracker.get_slot("change_reason") or "ikke oplyst"
        meeting = repo.own_meeting(session, profile.id, int(choice)) if choice.isdigit() else None
        if meeting is None:
            return [NOTHING_SAVED]  # never someone else's meeting
        old_when, mentor = describe_when(meeting), profile.mentor_name
        if self.cancel or not (isinstance(value, dict) and "first" in value):
            repo.cancel_meeting(session, meeting, reason)
            return [("utter_meeting_cancelled", {"old_when": old_when, "mentor_name": mentor})]
        window, text = window_fields(value)
        repo.move_meeting(
            session,
            meeting,
            first=window.first,
            last=window.last,
            window_text=text,
            starts_at=exact_start(window),
            reason=reason,
            conversation_id=tracker.sender_id,
        )
        return [
            ("utter_meeting_moved", {"old_when": old_when, "window": describe_window(window), "mentor_name": mentor})
        ]


class ActionMoveMeeting(ChangeMeeting, Action):
    form = "reschedule_meeting_form"

    def name(self) -> str:
        return "action_move_meeting"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("youth_outcome") == CANCEL_INSTEAD:
            # Called off, not moved: the cancel form goes on with the meeting chosen (and a reason
            # given) and asks its yes ("Skal jeg aflyse mødet …?") before anything is changed.
            kept = ("meeting_choice", "change_reason")
            return [
                *(SlotSet(slot, None) for slot in YOUTH_SLOTS if slot not in kept),
                FollowupAction("cancel_meeting_form"),
            ]
        return await super().run(dispatcher, tracker, domain)


class ActionCancelMeeting(ChangeMeeting, Action):
    form = "cancel_meeting_form"

    cancel = True

    def name(self) -> str:
        return "action_cancel_meeting"
