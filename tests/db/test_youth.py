"""Young people's data on real SQLite and PostgreSQL: pairing codes and their
limits, who a conversation is, meetings (nothing deleted) and education."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db import education, meetings
from bot.db import youth as repo
from bot.db.seed import seed_youth
from bot.db.session import make_sessionmaker
from bot.db.youth_models import ConversationBinding, MeetingStatus, MentorMeeting, PairingCode, YouthProfile
from bot.shared.clock import DANISH_TIME

SECRET = "pairing-secret-for-the-tests-0123456789"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=DANISH_TIME)


def profile(session: Session, reference: str = "UNG-T1", name: str = "Mikkel") -> YouthProfile:
    return repo.create_profile(
        session,
        reference=reference,
        first_name=name,
        mentor_name="Sanne",
        mentor_contact="sanne@example.dk",
        aftercare_ends_on=date(2028, 1, 1),
    )


def test_a_code_binds_the_conversation_once(session: Session) -> None:
    mikkel = profile(session)
    code = repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW)
    result = repo.redeem_code(session, "conv-1", code, secret=SECRET, now=NOW + timedelta(minutes=5))
    assert result.outcome == "bound" and result.profile is not None and result.profile.id == mikkel.id
    assert repo.bound_profile_id(session, "conv-1") == (mikkel.id, "pairing")
    assert repo.redeem_code(session, "conv-2", code, secret=SECRET, now=NOW).outcome == "used"  # one time only
    assert repo.bound_profile_id(session, "conv-2") is None


def test_codes_expire_and_are_stored_only_as_a_hash(session: Session) -> None:
    mikkel = profile(session)
    code = repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW, minutes=30)
    stored = session.scalars(select(PairingCode)).one()
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    assert (
        repo.redeem_code(session, "conv-1", code, secret=SECRET, now=NOW + timedelta(minutes=31)).outcome == "expired"
    )
    assert repo.bound_profile_id(session, "conv-1") is None


def test_wrong_codes_lock_the_conversation_even_for_a_right_one(session: Session) -> None:
    mikkel = profile(session)
    code = repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW)
    for _ in range(repo.MAX_WRONG_CODES_PER_CONVERSATION):
        assert repo.redeem_code(session, "conv-x", "AAA-222", secret=SECRET, now=NOW).outcome == "wrong"
    assert repo.redeem_code(session, "conv-x", code, secret=SECRET, now=NOW).outcome == "locked"
    assert repo.bound_profile_id(session, "conv-x") is None
    # An hour later the conversation may try again; another conversation was never locked.
    assert repo.redeem_code(session, "conv-y", code, secret=SECRET, now=NOW).outcome == "bound"


def test_rotating_conversations_gets_no_more_tries_than_the_overall_limit(session: Session) -> None:
    mikkel = profile(session)
    code = repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW)
    outcomes = [
        repo.redeem_code(session, f"attacker-{n}", f"{n:03d}-9ZZ", secret=SECRET, now=NOW).outcome for n in range(200)
    ]
    assert outcomes.count("wrong") == repo.MAX_WRONG_CODES_OVERALL
    assert set(outcomes[repo.MAX_WRONG_CODES_OVERALL :]) == {"busy"}
    # Even the right code waits while the limit holds; after the window it binds.
    assert repo.redeem_code(session, "young", code, secret=SECRET, now=NOW).outcome == "busy"
    later = NOW + repo.OVERALL_WINDOW + timedelta(seconds=1)
    assert repo.redeem_code(session, "young", code, secret=SECRET, now=later).outcome == "bound"


def test_a_guess_has_at_most_a_one_in_a_million_chance_with_hundreds_of_codes_out() -> None:
    from bot.youth.pairing import ALPHABET

    digits = sum(char.isdigit() for char in ALPHABET)
    codes = len(ALPHABET) ** 6 - (len(ALPHABET) - digits) ** 6  # six characters, at least one digit
    assert 500 / codes <= 1e-6


def test_a_code_typed_again_after_use_counts_against_it(session: Session) -> None:
    mikkel = profile(session)
    code = repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW)
    repo.redeem_code(session, "conv-1", code, secret=SECRET, now=NOW)
    for _ in range(2):
        repo.redeem_code(session, "conv-2", code, secret=SECRET, now=NOW)
    assert session.scalars(select(PairingCode)).one().failed_attempts == 2


def test_one_conversation_is_one_person_until_logged_out(session: Session) -> None:
    mikkel, aisha = profile(session), profile(session, "UNG-T2", "Aisha")
    assert repo.bind(session, "conv-1", mikkel.id, "token")
    assert not repo.bind(session, "conv-1", aisha.id, "token")  # someone else's token in Mikkel's chat
    assert repo.bound_profile_id(session, "conv-1") == (mikkel.id, "token")
    assert repo.unbind(session, "conv-1") and not repo.unbind(session, "conv-1")
    assert repo.bind(session, "conv-1", aisha.id, "pairing")


def test_meetings_move_and_cancel_keep_the_history(session: Session) -> None:
    mikkel = profile(session)
    first = meetings.request_meeting(
        session,
        mikkel,
        first=date(2026, 12, 1),
        last=date(2026, 12, 4),
        window_text="næste uge",
        starts_at=None,
        conversation_id="conv-1",
    )
    meetings.confirm_meeting(session, first, datetime(2026, 12, 2, 14, 0, tzinfo=DANISH_TIME), "sanne")
    assert meetings.pick_meeting(session, mikkel.id, NOW, None) == first
    assert meetings.pick_meeting(session, mikkel.id, NOW, date(2026, 12, 2)) == first
    assert meetings.pick_meeting(session, mikkel.id, NOW, date(2026, 12, 3)) is None
    moved = meetings.move_meeting(
        session,
        first,
        first=date(2026, 12, 9),
        last=date(2026, 12, 9),
        window_text="d. 9/12",
        starts_at=None,
        reason="eksamen",
        conversation_id="conv-1",
    )
    assert (first.status, first.reason, moved.status, moved.replaces_id) == ("moved", "eksamen", "requested", first.id)
    meetings.cancel_meeting(session, moved, "syg")
    with pytest.raises(repo.YouthError):
        meetings.cancel_meeting(session, moved, "igen")
    rows = session.scalars(select(MentorMeeting).where(MentorMeeting.profile_id == mikkel.id)).all()
    assert sorted(m.status for m in rows) == ["cancelled", "moved"]  # nothing deleted
    assert meetings.upcoming_meetings(session, mikkel.id, NOW) == []


def test_held_meetings_and_their_rating(session: Session) -> None:
    mikkel = profile(session)
    meetings.log_held_meeting(
        session,
        mikkel,
        held_at=NOW - timedelta(days=1),
        with_whom=None,
        rating=4,
        how_it_went="godt",
        note=None,
        conversation_id="conv-1",
    )
    with pytest.raises(repo.YouthError):
        meetings.log_held_meeting(
            session,
            mikkel,
            held_at=NOW,
            with_whom=None,
            rating=7,
            how_it_went=None,
            note=None,
            conversation_id="conv-1",
        )
    [held] = meetings.past_meetings(session, mikkel.id)
    assert (held.with_whom, held.rating, held.status) == ("Sanne", 4, MeetingStatus.HELD)


def test_reminders_are_due_the_day_before_a_confirmed_meeting(session: Session) -> None:
    mikkel = profile(session)
    meeting = meetings.request_meeting(
        session,
        mikkel,
        first=date(2026, 11, 26),
        last=date(2026, 11, 26),
        window_text="i morgen",
        starts_at=None,
        conversation_id="conv-1",
    )
    assert meetings.meetings_to_remind(session, NOW) == []  # requested, not confirmed
    meetings.confirm_meeting(session, meeting, datetime(2026, 11, 26, 9, 0, tzinfo=DANISH_TIME), "sanne")
    assert meetings.meetings_to_remind(session, NOW) == [meeting]
    assert meetings.meetings_to_remind(session, NOW - timedelta(days=1)) == []
    meeting.reminder_sent_at = NOW
    assert meetings.meetings_to_remind(session, NOW) == []


def test_a_reminder_is_claimed_once_until_the_claim_expires_or_is_given_back(session: Session) -> None:
    meeting = confirmed_tomorrow(session, profile(session))
    assert meetings.claim_reminder(session, meeting.id, NOW)
    assert not meetings.claim_reminder(session, meeting.id, NOW + timedelta(minutes=1))  # another scheduler
    assert meetings.claim_reminder(session, meeting.id, NOW + meetings.CLAIM_EXPIRES + timedelta(seconds=1))
    meetings.release_claim(session, meeting.id)  # could not send: the next run may
    assert meetings.claim_reminder(session, meeting.id, NOW + timedelta(minutes=7))
    meetings.mark_reminded(session, meeting.id, NOW + timedelta(minutes=7))
    assert not meetings.claim_reminder(session, meeting.id, NOW + timedelta(hours=1))  # sent: never again


def test_the_staff_notice_and_the_reminder_are_each_claimed_once(session: Session) -> None:
    meeting = confirmed_tomorrow(session, profile(session))  # confirmed by staff: a notice is due
    assert meeting.staff_notice is not None
    assert meetings.claim_notice(session, meeting.id, NOW)
    assert not meetings.claim_notice(session, meeting.id, NOW)  # another scheduler's round
    assert not meetings.claim_reminder(session, meeting.id, NOW)  # one message of a meeting at a time
    meetings.mark_notified(session, meeting.id, NOW, "chat")
    assert not meetings.claim_notice(session, meeting.id, NOW)  # told: never again
    assert meetings.claim_reminder(session, meeting.id, NOW)  # the notice's claim was cleared


def test_a_scheduler_clears_only_its_own_claim(session: Session) -> None:
    """A scheduler whose claim another took over as expired (a slow one, or a
    clock behind) clears nothing of the other's when it gives its claim back or
    marks its message told: a third cannot take the reminder meanwhile."""
    meeting = confirmed_tomorrow(session, profile(session))
    slow = meetings.claim_notice(session, meeting.id, NOW)
    later = NOW + meetings.CLAIM_EXPIRES + timedelta(seconds=1)
    taken_over = meetings.claim_notice(session, meeting.id, later)
    assert slow is not None and taken_over is not None and slow != taken_over
    meetings.release_claim(session, meeting.id, slow)
    assert meetings.claim_reminder(session, meeting.id, later) is None  # still the other's
    meetings.mark_notified(session, meeting.id, NOW, "chat", slow)
    assert meetings.claim_reminder(session, meeting.id, later) is None
    meetings.mark_notified(session, meeting.id, later, "chat", taken_over)
    mine = meetings.claim_reminder(session, meeting.id, later)
    assert mine is not None and meetings.claim_reminder(session, meeting.id, later) is None
    meetings.mark_reminded(session, meeting.id, later, mine)
    assert meetings.claim_reminder(session, meeting.id, later + timedelta(hours=1)) is None  # sent: never again


def test_of_many_schedulers_claiming_at_once_exactly_one_gets_the_reminder(database_url: str) -> None:
    """Committed transactions on the real database (not the rolled-back one):
    eight schedulers in eight threads claim the same reminder at the same moment."""
    maker = make_sessionmaker(database_url, immediate=True)
    reference = f"UNG-R{uuid.uuid4().hex[:6].upper()}"
    with maker.begin() as session:
        meeting_id = confirmed_tomorrow(session, profile(session, reference=reference)).id
    start = threading.Barrier(8)

    def scheduler() -> bool:
        start.wait()
        with maker.begin() as session:
            return meetings.claim_reminder(session, meeting_id, NOW) is not None

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(lambda _: scheduler(), range(8)))
    assert won.count(True) == 1
    with maker.begin() as session:
        session.execute(delete(MentorMeeting).where(MentorMeeting.id == meeting_id))
        session.execute(delete(YouthProfile).where(YouthProfile.reference == reference))
    maker.kw["bind"].dispose()


def confirmed_tomorrow(session: Session, person: YouthProfile) -> MentorMeeting:
    tomorrow = NOW.date() + timedelta(days=1)
    meeting = meetings.request_meeting(
        session, person, first=tomorrow, last=tomorrow, window_text="i morgen", starts_at=None, conversation_id="c-1"
    )
    meetings.confirm_meeting(session, meeting, datetime.combine(tomorrow, time(9), tzinfo=DANISH_TIME), "sanne")
    return meeting


def test_staff_confirming_or_moving_a_meeting_is_told_once(session: Session) -> None:
    mikkel = profile(session)
    meeting = meetings.request_meeting(
        session,
        mikkel,
        first=date(2026, 12, 1),
        last=date(2026, 12, 4),
        window_text="næste uge",
        starts_at=None,
        conversation_id="conv-1",
    )

    def pending() -> list[tuple[int, str | None]]:
        return [(m.id, m.staff_notice) for m in meetings.meetings_to_notify(session) if m.profile_id == mikkel.id]

    assert pending() == []  # the young person's own request: nothing to tell
    at_two = datetime(2026, 12, 2, 14, 0, tzinfo=DANISH_TIME)
    meetings.confirm_meeting(session, meeting, at_two, "sanne")
    assert pending() == [(meeting.id, "confirmed")]
    meetings.mark_notified(session, meeting.id, NOW, "sms")
    meetings.mark_notified(session, meeting.id, NOW + timedelta(hours=1), "chat")  # told once: the first stays
    assert pending() == []
    assert (meeting.staff_notice_sent_at, meeting.staff_notice_channel) == (NOW, "sms")

    meetings.confirm_meeting(session, meeting, at_two, "sanne")  # the same time again: nothing new
    assert pending() == []
    meetings.confirm_meeting(session, meeting, at_two + timedelta(days=1), "sanne")
    assert pending() == [(meeting.id, "moved")]
    assert (meeting.status, meeting.staff_notice_sent_at, meeting.reminder_sent_at) == ("confirmed", None, None)
    session.flush()
    session.expire_all()  # read back from the database, as after a restart
    assert pending() == [(meeting.id, "moved")]
    meetings.mark_notified(session, meeting.id, NOW, "none")
    assert pending() == []


def test_education_events_update_the_profile(session: Session) -> None:
    mikkel = profile(session)
    education.record_education(
        session, mikkel, kind="started", programme="hf", institution="VUC", occurred_on=date(2026, 8, 1)
    )
    assert (mikkel.programme, mikkel.institution) == ("hf", "VUC")
    education.record_education(
        session, mikkel, kind="stopped", programme="hf", institution=None, occurred_on=date(2026, 11, 1)
    )
    assert mikkel.programme is None
    with pytest.raises(repo.YouthError):
        education.record_education(
            session, mikkel, kind="exploded", programme="hf", institution=None, occurred_on=date(2026, 11, 1)
        )
    assert [e.kind for e in education.latest_education(session, mikkel.id)] == ["stopped", "started"]


def test_demo_young_people_are_seeded_once(session: Session) -> None:
    assert seed_youth(session, date(2026, 11, 25)) == 3
    assert seed_youth(session, date(2026, 11, 25)) == 0
    aisha = repo.get_by_reference(session, "ung-002")
    assert aisha is not None and meetings.upcoming_meetings(session, aisha.id, NOW)


def test_old_codes_and_attempts_are_purged_and_a_forgotten_conversation_leaves_nothing(session: Session) -> None:
    mikkel = profile(session)
    repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW - timedelta(days=3))
    fresh = repo.issue_code(session, mikkel, secret=SECRET, created_by="ab", now=NOW)
    repo.redeem_code(session, "conv-old", "AAA-222", secret=SECRET, now=NOW - timedelta(hours=3))
    repo.redeem_code(session, "conv-new", "AAA-222", secret=SECRET, now=NOW)
    assert repo.purge_pairing(session, NOW) == 2  # the old code and the old attempt
    assert repo.wrong_codes_recently(session, "conv-new", NOW) == 1
    assert repo.redeem_code(session, "conv-new", fresh, secret=SECRET, now=NOW).outcome == "bound"
    assert repo.forget_conversation(session, "conv-new")
    assert repo.wrong_codes_recently(session, "conv-new", NOW) == 0
    assert repo.bound_profile_id(session, "conv-new") is None


def test_a_pairing_expires_when_idle_and_a_message_keeps_it(session: Session) -> None:
    mikkel = profile(session)
    repo.bind(session, "conv-idle", mikkel.id, "pairing")
    idle = timedelta(days=14)
    row = session.scalars(select(ConversationBinding)).one()
    seen = row.last_seen_at
    assert repo.bound_profile_id(session, "conv-idle", now=seen + timedelta(days=13), idle=idle) == (
        mikkel.id,
        "pairing",
    )
    repo.touch_binding(session, "conv-idle", seen + timedelta(days=13))
    assert repo.bound_profile_id(session, "conv-idle", now=seen + timedelta(days=26), idle=idle) is not None
    assert repo.bound_profile_id(session, "conv-idle", now=seen + timedelta(days=28), idle=idle) is None
    assert repo.conversations_of(session, mikkel.id, now=seen + timedelta(days=28), idle=idle) == []
    assert repo.conversations_of(session, mikkel.id, now=seen + timedelta(days=20), idle=idle) == ["conv-idle"]
