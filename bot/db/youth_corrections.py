"""Taking back or correcting what a young person has just saved in the chat
(issue 17): a held meeting logged, a meeting asked for, an education change.
Each function finds the row only when it is this young person's and was made
by this conversation, and only as the save left it (a request staff have
confirmed since, or an education change with a newer one after it, is no
longer "just saved"): otherwise it returns None and changes nothing.
Repository functions take a session and never commit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import utcnow
from bot.db.youth_models import EducationEvent, MeetingStatus, MentorMeeting, YouthProfile
from bot.shared.clock import DANISH_TIME

WITHDRAWN = "fortrudt i chatten"


def _own_from_here(
    session: Session, profile_id: int, meeting_id: int, conversation_id: str, status: str
) -> MentorMeeting | None:
    meeting = session.get(MentorMeeting, meeting_id)
    if meeting is None or meeting.profile_id != profile_id or meeting.conversation_id != conversation_id:
        return None
    return meeting if meeting.status == status else None


def just_logged(session: Session, profile_id: int, meeting_id: int, conversation_id: str) -> MentorMeeting | None:
    """The held meeting this conversation logged for this young person."""
    return _own_from_here(session, profile_id, meeting_id, conversation_id, MeetingStatus.HELD)


def just_requested(session: Session, profile_id: int, meeting_id: int, conversation_id: str) -> MentorMeeting | None:
    """The meeting this conversation asked for, still waiting for the mentor (not confirmed, moved or cancelled)."""
    return _own_from_here(session, profile_id, meeting_id, conversation_id, MeetingStatus.REQUESTED)


def delete_logged(session: Session, meeting: MentorMeeting) -> None:
    """A held meeting logged by mistake: the row goes (nobody agreed on it; it only told the mentor)."""
    session.delete(meeting)
    session.flush()


def withdraw_request(session: Session, meeting: MentorMeeting) -> None:
    """A meeting asked for by mistake: kept, marked cancelled, as a cancellation is."""
    meeting.status, meeting.reason = MeetingStatus.CANCELLED, WITHDRAWN
    meeting.changed_by, meeting.changed_at = "chat", utcnow()
    session.flush()


def move_logged(session: Session, meeting: MentorMeeting, held_at: datetime, note: str | None = None) -> None:
    """The day or time of a held meeting corrected; a note told afterwards added to it."""
    meeting.starts_at = held_at
    if note:
        meeting.note = (f"{meeting.note}\n{note}" if meeting.note else note)[:500]
    meeting.changed_by, meeting.changed_at = "chat", utcnow()
    session.flush()


def change_request(
    session: Session, meeting: MentorMeeting, *, first: date, last: date, window_text: str, starts_at: datetime | None
) -> None:
    """The time asked for, corrected before the mentor answered."""
    meeting.window_first, meeting.window_last, meeting.window_text = first, last, window_text[:200]
    meeting.starts_at = starts_at
    meeting.changed_by, meeting.changed_at = "chat", utcnow()
    session.flush()


def just_recorded(session: Session, profile_id: int, event_id: int) -> EducationEvent | None:
    """The education change, when it is this young person's and still their latest."""
    latest = session.scalar(
        select(EducationEvent.id).where(EducationEvent.profile_id == profile_id).order_by(EducationEvent.id.desc())
    )
    if latest != event_id:
        return None
    return session.get(EducationEvent, event_id)


def undo_education(
    session: Session,
    profile: YouthProfile,
    event: EducationEvent,
    *,
    before: tuple[str | None, str | None],
    after: tuple[str | None, str | None],
) -> None:
    """The change goes, and the profile's programme and school are what they
    were before it, unless something else has changed them since."""
    if (profile.programme, profile.institution) == after:
        profile.programme, profile.institution = before
    session.delete(event)
    session.flush()


def redate_education(session: Session, event: EducationEvent, occurred_on: date) -> None:
    event.occurred_on = occurred_on
    session.flush()


def local_start(meeting: MentorMeeting) -> datetime | None:
    return meeting.starts_at.astimezone(DANISH_TIME) if meeting.starts_at is not None else None
