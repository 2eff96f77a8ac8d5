"""Does a replayed conversation (tests/bench/conversations.py) reach the goal
its blind author wrote down? Each check reads the municipal database (through
the repositories) or the conversation's tracker, and returns why not, or None.

The goals' conventions are in the header of tests/data/conversations_blind.yml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.db import enrollments, escalations
from bot.db import meetings as meeting_repo
from bot.db.education import latest_education
from bot.db.youth_models import MeetingStatus, MentorMeeting
from bot.shared.clock import DANISH_TIME

FALLBACK_RESPONSES = {"utter_default", "utter_offer_person", "utter_ask_rephrase", "utter_which_service"}


@dataclass
class Replayed:
    """What the replay saw and made: the conversation's id, every turn's
    replies, the tracker's events and the young person's profile id (if any)."""

    sender: str
    goal: dict[str, Any]
    replies: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    profile_id: int | None = None
    meetings: dict[str, int] = field(default_factory=dict)  # "2027-01-15T10:00" -> id

    @property
    def all_replies(self) -> str:
        return "\n".join(self.replies)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").strip()


def _local(at: datetime | None) -> str | None:
    return at.astimezone(DANISH_TIME).strftime("%Y-%m-%dT%H:%M") if at else None


def _digits(text: str | None) -> str:
    digits = re.sub(r"\D", "", text or "")
    return digits[-8:]


def check_enrollment(session: Session, run: Replayed) -> str | None:
    expect = run.goal["expect"]
    rows = [e for e in enrollments.list_by_conversation(session, run.sender) if e.status == "active"]
    if not rows:
        return "no active enrollment stored; " + form_state(run.events)
    row = rows[-1]
    problems = []
    if _fold(row.parent_name) != _fold(expect["name"]):
        problems.append(f"name {row.parent_name!r}")
    for key, stored in (("due_date", row.due_date), ("birth_date", row.birth_date)):
        if expect.get(key) and (stored is None or stored.isoformat() != expect[key]):
            problems.append(f"{key} {stored}")
    partner = expect.get("partner")
    first = (row.partner_name or "").split()[0] if row.partner_name else None
    if (partner is None) != (first is None) or (partner and first and _fold(first) != _fold(partner)):
        problems.append(f"partner {row.partner_name!r}")
    contact = str(expect["contact"])
    if "@" in contact:
        if _fold(row.email or "") != _fold(contact):
            problems.append(f"e-mail {row.email!r}")
    elif _digits(row.phone) != _digits(contact):
        problems.append(f"phone {row.phone!r}")
    return ("stored, but " + ", ".join(problems)) if problems else None


def form_state(events: list[dict[str, Any]]) -> str:
    """Where an unfinished enrollment stopped, and what it had understood so far."""
    slots: dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            slots[event["name"]] = event.get("value")
    understood = {k: slots.get(k) for k in ("parent_name", "child_date", "partner_name", "contact") if slots.get(k)}
    outcome = slots.get("enrollment_outcome")
    stopped = f"outcome {outcome}" if outcome else f"waiting for {slots.get('requested_slot')}"
    return f"{stopped}, understood {understood}"


def check_enrollment_cancelled(session: Session, run: Replayed) -> str | None:
    rows = enrollments.list_by_conversation(session, run.sender)
    if not rows:
        return "no enrollment stored"
    if any(e.status == "active" for e in rows):
        return "the enrollment is still active"
    name = (run.goal.get("expect") or {}).get("name")  # blind set 2 names no one: any cancelled is it
    if name and not any(_fold(e.parent_name) == _fold(name) for e in rows):
        return f"cancelled, but the name was {rows[-1].parent_name!r}"
    return None


def _slot_values(events: list[dict[str, Any]], slot: str) -> list[Any]:
    return [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == slot]


def _last_turn(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    return events[users[-1] :] if users else events


def check_service_answer(_session: Session, run: Replayed) -> str | None:
    expect = run.goal["expect"]
    topics = [str(v) for v in _slot_values(run.events, "service_topic") if v]
    wanted = str(expect["topic"]).split("/", 1)[1]
    last = _last_turn(run.events)
    said = {(e.get("metadata") or {}).get("utter_action") for e in last if e.get("event") == "bot"}
    intent = (last[0].get("parse_data") or {}).get("intent", {}).get("name") if last else None
    if said & FALLBACK_RESPONSES or not said:
        return f"the last question was not answered (intent {intent})"
    if not topics or topics[-1] != wanted:
        return f"topic {topics[-1] if topics else None!r}, not {wanted!r}"
    missing = [t for t in expect.get("earlier", []) if t.split("/", 1)[1] not in topics]
    return f"earlier topic(s) never answered: {missing}" if missing else None


def _meeting(session: Session, run: Replayed, when: str) -> MentorMeeting | None:
    meeting_id = run.meetings.get(when)
    return meeting_repo.get_meeting(session, meeting_id) if meeting_id else None


def _own_meetings(session: Session, run: Replayed) -> list[MentorMeeting]:
    assert run.profile_id is not None
    return meeting_repo.meetings_of(session, run.profile_id)


def check_meeting_logged(session: Session, run: Replayed) -> str | None:
    expect = run.goal["expect"]
    held = [m for m in _own_meetings(session, run) if m.status == MeetingStatus.HELD]
    if not held:
        return "no meeting logged"
    when = _local(held[0].starts_at) or ""
    if when[:10] != expect["date"] or ("time" in expect and when[11:] != expect["time"]):
        return f"logged at {when}, not {expect['date']} {expect.get('time', '')}".rstrip()
    return None


def _shown(text: str, when: str) -> bool:
    """The meeting as the assistant writes it: "15. januar kl. 10.00"."""
    at = datetime.fromisoformat(when)
    day = f"{at.day}. " + ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                           "oktober", "november", "december"][at.month - 1]  # fmt: skip
    return re.search(rf"{re.escape(day)}(?: {at.year})? kl\. {at:%H[.:]%M}", text) is not None


def check_meetings_listed(_session: Session, run: Replayed) -> str | None:
    missing = [w for w in run.goal["expect"]["meetings"] if not _shown(run.all_replies, w)]
    return f"not shown: {missing}" if missing else None


def check_meeting_booked(session: Session, run: Replayed) -> str | None:
    expect = run.goal["expect"]
    requested = [m for m in _own_meetings(session, run) if m.status == MeetingStatus.REQUESTED]
    if not requested:
        return "no meeting requested"
    got = [_local(m.starts_at) or f"{m.window_first}..{m.window_last}" for m in requested]
    if "datetime" in expect:
        return None if expect["datetime"] in got else f"requested {got}, not {expect['datetime']}"
    # A day only: a request whose time or window falls on it.
    day = date.fromisoformat(expect["date"])
    on_day = [
        m
        for m in requested
        if (m.starts_at and m.starts_at.astimezone(DANISH_TIME).date() == day)
        or (m.window_first and m.window_last and m.window_first <= day <= m.window_last)
    ]
    return None if on_day else f"requested {got}, not on {day}"


def check_meeting_moved(session: Session, run: Replayed) -> str | None:
    expect = run.goal["expect"]
    old = _meeting(session, run, expect["from"])
    if old is None or old.status != MeetingStatus.MOVED:
        moved = [_local(m.starts_at) for m in _own_meetings(session, run) if m.status == MeetingStatus.MOVED]
        return f"the meeting {expect['from']} was not moved (moved: {moved})"
    new = [m for m in _own_meetings(session, run) if m.replaces_id == old.id]
    got = [_local(m.starts_at) or f"{m.window_first}..{m.window_last}" for m in new]
    return None if expect["to"] in got else f"moved to {got}, not {expect['to']}"


def check_meeting_cancelled(session: Session, run: Replayed) -> str | None:
    wanted = run.goal["expect"]["datetime"]
    cancelled = [_local(m.starts_at) for m in _own_meetings(session, run) if m.status == MeetingStatus.CANCELLED]
    if wanted not in cancelled:
        return f"cancelled {cancelled}, not {wanted}"
    return None if len(cancelled) == 1 else f"also cancelled: {cancelled}"


def check_education_updated(session: Session, run: Replayed) -> str | None:
    expect = run.goal["expect"]
    assert run.profile_id is not None
    events = latest_education(session, run.profile_id, limit=10)
    if not events:
        return "no education change stored"
    kinds = {"started": {"started", "changed"}, "stopped": {"stopped"}}[expect["change"]]
    wanted = _fold(expect["education"])
    hits = [e for e in events if e.kind in kinds and wanted in _fold(e.programme)]
    if not hits:
        return f"stored {[(e.kind, e.programme, str(e.occurred_on)) for e in events]}"
    if expect.get("date") and hits[0].occurred_on != date.fromisoformat(expect["date"]):
        return f"stored on {hits[0].occurred_on}, not {expect['date']}"
    previous = expect.get("previous")
    if previous and not any(
        (e.kind == "stopped" and _fold(previous) in _fold(e.programme)) or _fold(previous) in _fold(e.note or "")
        for e in events
    ):
        return f"the switch from {previous} is not stored"
    return None


def check_education_shown(_session: Session, run: Replayed) -> str | None:
    shown = {(e.get("metadata") or {}).get("utter_action") for e in run.events if e.get("event") == "bot"}
    return None if "utter_education_status" in shown else "the education plan was not shown"


def check_handover(session: Session, run: Replayed) -> str | None:
    cases = escalations.list_by_conversation(session, run.sender)
    if not cases:
        return "no case for staff"
    reason = run.goal["expect"]["reason"]
    return None if any(c.reason == reason for c in cases) else f"case reason {[c.reason for c in cases]}"


CHECKS: dict[str, Callable[[Session, Replayed], str | None]] = {
    "enrollment": check_enrollment,
    "enrollment_cancelled": check_enrollment_cancelled,
    "service_answer": check_service_answer,
    "meeting_logged": check_meeting_logged,
    "meetings_listed": check_meetings_listed,
    "meeting_booked": check_meeting_booked,
    "meeting_moved": check_meeting_moved,
    "meeting_cancelled": check_meeting_cancelled,
    "education_updated": check_education_updated,
    "education_shown": check_education_shown,
    "handover": check_handover,
}


def repeated_questions(replies: list[str]) -> list[str]:
    """The assistant's questions asked again later in the conversation (once per repeat)."""
    seen: dict[str, int] = {}
    repeats = []
    for turn in replies:
        asked = {q.strip() for q in re.findall(r"[^.!?\n]*\?", turn) if len(q.strip()) > 8}
        for question in asked:
            seen[question] = seen.get(question, 0) + 1
            if seen[question] > 1:
                repeats.append(question)
    return repeats
