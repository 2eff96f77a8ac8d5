"""A young person's meetings with their mentor or contact person. Nothing is
deleted: a move marks the meeting moved and adds the new one, a cancellation
keeps the row. Repository functions take a session and never commit."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import utcnow
from bot.db.youth import YouthError
from bot.db.youth_models import MeetingStatus, MentorMeeting, YouthProfile
from bot.shared.clock import DANISH_TIME

OPEN_MEETINGS = (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED)


def get_meeting(session: Session, meeting_id: int) -> MentorMeeting | None:
    return session.get(MentorMeeting, meeting_id)


def own_meeting(session: Session, profile_id: int, meeting_id: int) -> MentorMeeting | None:
    """The meeting, only if it is this young person's: never someone else's."""
    meeting = get_meeting(session, meeting_id)
    return meeting if meeting is not None and meeting.profile_id == profile_id else None


def meetings_of(session: Session, profile_id: int) -> list[MentorMeeting]:
    """All the young person's meetings, newest first (for the mentor)."""
    query = select(MentorMeeting).where(MentorMeeting.profile_id == profile_id).order_by(MentorMeeting.id.desc())
    return list(session.scalars(query))


def upcoming_meetings(session: Session, profile_id: int, now: datetime, limit: int = 5) -> list[MentorMeeting]:
    """Requested and confirmed meetings from today on: the soonest first, requests without a time last."""
    today = now.date()
    query = select(MentorMeeting).where(
        MentorMeeting.profile_id == profile_id,
        MentorMeeting.status.in_(OPEN_MEETINGS),
        or_(MentorMeeting.starts_at >= now - timedelta(hours=2), MentorMeeting.window_last >= today),
    )
    rows = list(session.scalars(query))
    return sorted(rows, key=lambda m: (m.starts_at is None, m.starts_at or now, m.window_first or today))[:limit]


def past_meetings(session: Session, profile_id: int, limit: int = 3) -> list[MentorMeeting]:
    query = (
        select(MentorMeeting)
        .where(MentorMeeting.profile_id == profile_id, MentorMeeting.status == MeetingStatus.HELD)
        .order_by(MentorMeeting.starts_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def log_held_meeting(
    session: Session,
    profile: YouthProfile,
    *,
    held_at: datetime,
    with_whom: str | None,
    rating: int | None,
    how_it_went: str | None,
    note: str | None,
    conversation_id: str,
) -> MentorMeeting:
    if rating is not None and not 1 <= rating <= 5:
        raise YouthError("Giv mødet et tal fra 1 til 5.")
    meeting = MentorMeeting(
        profile_id=profile.id,
        status=MeetingStatus.HELD,
        starts_at=held_at,
        with_whom=with_whom or profile.mentor_name,
        rating=rating,
        how_it_went=how_it_went,
        note=(note or None) and note[:500],
        conversation_id=conversation_id,
        changed_by="chat",
        changed_at=utcnow(),
    )
    session.add(meeting)
    session.flush()
    return meeting


def request_meeting(
    session: Session,
    profile: YouthProfile,
    *,
    first: date,
    last: date,
    window_text: str,
    starts_at: datetime | None,
    conversation_id: str,
    note: str | None = None,
    replaces: MentorMeeting | None = None,
) -> MentorMeeting:
    meeting = MentorMeeting(
        profile_id=profile.id,
        status=MeetingStatus.REQUESTED,
        starts_at=starts_at,
        window_first=first,
        window_last=last,
        window_text=window_text[:200],
        with_whom=profile.mentor_name,
        note=note,
        conversation_id=conversation_id,
        replaces_id=replaces.id if replaces else None,
        changed_by="chat",
        changed_at=utcnow(),
    )
    session.add(meeting)
    session.flush()
    return meeting


def confirm_meeting(session: Session, meeting: MentorMeeting, starts_at: datetime, by: str) -> None:
    """Staff confirm a requested meeting at a time, or move a confirmed one to
    another; the young person is to be told (`staff_notice`, sent by the reminder
    job, bot/youth/notices.py). The same time again changes nothing."""
    if meeting.status not in OPEN_MEETINGS:
        raise YouthError("Kun et ønsket eller aftalt møde kan bekræftes.")
    if meeting.status == MeetingStatus.CONFIRMED and meeting.starts_at == starts_at:
        return
    notice = "moved" if meeting.status == MeetingStatus.CONFIRMED else "confirmed"
    meeting.status, meeting.starts_at = MeetingStatus.CONFIRMED, starts_at
    meeting.reminder_sent_at = None
    meeting.staff_notice, meeting.staff_notice_sent_at, meeting.staff_notice_channel = notice, None, None
    meeting.changed_by, meeting.changed_at = by, utcnow()
    session.flush()


def meetings_to_notify(session: Session) -> list[MentorMeeting]:
    """Meetings staff confirmed or moved whose young person has not been told yet, oldest change first."""
    query = select(MentorMeeting).where(
        MentorMeeting.staff_notice.is_not(None), MentorMeeting.staff_notice_sent_at.is_(None)
    )
    return list(session.scalars(query.order_by(MentorMeeting.changed_at, MentorMeeting.id)))


def mark_notified(
    session: Session, meeting_id: int, now: datetime, channel: str, claim: datetime | None = None
) -> None:
    """The young person was told (channel "sms" or "chat"), or will not be ("none"); the claim cleared."""
    meeting = get_meeting(session, meeting_id)
    if meeting is not None and meeting.staff_notice_channel is None:
        # The time as the action wrote it (take_notice) when it did.
        meeting.staff_notice_sent_at = meeting.staff_notice_sent_at or now
        meeting.staff_notice_channel = channel
        session.flush()
    _clear_claim(session, meeting_id, claim)


def move_meeting(
    session: Session,
    meeting: MentorMeeting,
    *,
    first: date,
    last: date,
    window_text: str,
    starts_at: datetime | None,
    reason: str,
    conversation_id: str,
) -> MentorMeeting:
    """The old meeting stays, marked moved; the new time is a request the mentor confirms."""
    if meeting.status not in OPEN_MEETINGS:
        raise YouthError("Mødet er ikke aftalt, så det kan ikke flyttes.")
    meeting.status, meeting.reason = MeetingStatus.MOVED, reason[:300]
    meeting.changed_by, meeting.changed_at = "chat", utcnow()
    profile = session.get(YouthProfile, meeting.profile_id)
    assert profile is not None
    return request_meeting(
        session,
        profile,
        first=first,
        last=last,
        window_text=window_text,
        starts_at=starts_at,
        conversation_id=conversation_id,
        replaces=meeting,
    )


def cancel_meeting(session: Session, meeting: MentorMeeting, reason: str) -> None:
    if meeting.status not in OPEN_MEETINGS:
        raise YouthError("Mødet er ikke aftalt, så det kan ikke aflyses.")
    meeting.status, meeting.reason = MeetingStatus.CANCELLED, reason[:300]
    meeting.changed_by, meeting.changed_at = "chat", utcnow()
    session.flush()


def pick_meeting(session: Session, profile_id: int, now: datetime, on: date | None) -> MentorMeeting | None:
    """The meeting a young person means: the one on that day, or else the next one."""
    upcoming = upcoming_meetings(session, profile_id, now, limit=50)
    if on is None:
        return upcoming[0] if upcoming else None
    for meeting in upcoming:
        if meeting.starts_at is not None and meeting.starts_at.astimezone(DANISH_TIME).date() == on:
            return meeting
        if (
            meeting.starts_at is None
            and meeting.window_first
            and meeting.window_last
            and meeting.window_first <= on <= meeting.window_last
        ):
            return meeting
    return None


def meetings_to_remind(session: Session, now: datetime) -> list[MentorMeeting]:
    """Confirmed meetings tomorrow (Danish date) not yet reminded of."""
    tomorrow = now.astimezone(DANISH_TIME).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=DANISH_TIME)
    query = select(MentorMeeting).where(
        MentorMeeting.status == MeetingStatus.CONFIRMED,
        MentorMeeting.reminder_sent_at.is_(None),
        MentorMeeting.starts_at >= start,
        MentorMeeting.starts_at < start + timedelta(days=1),
    )
    return list(session.scalars(query.order_by(MentorMeeting.starts_at)))


# A claim older than this is taken to be left by a scheduler that died before it
# sent; the reminder or notice is then sent by the next one.
CLAIM_EXPIRES = timedelta(minutes=5)


def _claim(session: Session, meeting_id: int, now: datetime, *unsent: Any) -> datetime | None:
    """Take the meeting's next message for this run of the reminder job: one
    conditional update, so of two schedulers (two processes, two machines)
    exactly one gets it. Returns the claim (its stamp: `now` and a random
    fraction of a second, this scheduler's own), or None. The claim is cleared
    when the message is marked sent (mark_reminded, mark_notified) or given
    back (release_claim), each by its owner only: a scheduler that cleared
    whatever claim it found once let two others both take one reminder (a
    scheduler whose claim the other took over as expired, measured in the
    end-to-end test of two schedulers beside the running one)."""
    stamp = now + timedelta(microseconds=1 + secrets.randbelow(999_999))
    claimed = session.execute(
        update(MentorMeeting)
        .where(
            MentorMeeting.id == meeting_id,
            *unsent,
            or_(MentorMeeting.reminder_claimed_at.is_(None), MentorMeeting.reminder_claimed_at < now - CLAIM_EXPIRES),
        )
        .values(reminder_claimed_at=stamp)
        .execution_options(synchronize_session=False)
    )
    rows: int = claimed.rowcount  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
    return stamp if rows == 1 else None


def claim_reminder(session: Session, meeting_id: int, now: datetime) -> datetime | None:
    return _claim(session, meeting_id, now, MentorMeeting.reminder_sent_at.is_(None))


def claim_notice(session: Session, meeting_id: int, now: datetime) -> datetime | None:
    return _claim(
        session, meeting_id, now, MentorMeeting.staff_notice.is_not(None), MentorMeeting.staff_notice_sent_at.is_(None)
    )


def _clear_claim(session: Session, meeting_id: int, claim: datetime | None) -> None:
    """The claim cleared: the owner's only, when it names it (None: any, for tools and tests)."""
    owned = [] if claim is None else [MentorMeeting.reminder_claimed_at == claim]
    session.execute(
        update(MentorMeeting)
        .where(MentorMeeting.id == meeting_id, *owned)
        .values(reminder_claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def release_claim(session: Session, meeting_id: int, claim: datetime | None = None) -> None:
    """Give the claim back (not sent: quiet hours, nobody to send to, Rasa down)."""
    _clear_claim(session, meeting_id, claim)


def mark_reminded(session: Session, meeting_id: int, now: datetime, claim: datetime | None = None) -> None:
    """The scheduler's end of a reminder: its claim cleared, and the time it was
    sent kept as the action wrote it (take_reminder) when it did."""
    meeting = get_meeting(session, meeting_id)
    if meeting is not None:
        meeting.reminder_sent_at = meeting.reminder_sent_at or now
        session.flush()
        _clear_claim(session, meeting_id, claim)


def take_reminder(session: Session, meeting_id: int, now: datetime) -> bool:
    """The reminder action's own once-only mark, in the transaction that decides
    to send it: a scheduler killed after asking Rasa and before marking it
    sent leaves a claim that expires, and the next scheduler's request finds
    it sent and is not answered (one conditional update; True: send it)."""
    return _take(session, meeting_id, MentorMeeting.reminder_sent_at, now)


def take_notice(session: Session, meeting_id: int, now: datetime) -> bool:
    """The notice action's once-only mark (as take_reminder); the scheduler adds the channel."""
    return _take(session, meeting_id, MentorMeeting.staff_notice_sent_at, now)


def _take(session: Session, meeting_id: int, sent_at: Any, now: datetime) -> bool:
    taken = session.execute(
        update(MentorMeeting)
        .where(MentorMeeting.id == meeting_id, sent_at.is_(None))
        .values({sent_at: now})
        .execution_options(synchronize_session=False)
    )
    rows: int = taken.rowcount  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
    return rows == 1
