"""The actions' one transaction template (actions/transaction.py) on real
SQLite and PostgreSQL: replies only after the commit; on a database error
(inside the block, at the commit, or with the database down) nothing is
written and only the database-error reply is sent, with the phone number."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import actions.youth_identity as identity
from actions.lookup import ActionFinishLookup, lookup_grant
from actions.meetings import ActionListMeetings
from actions.transaction import Transaction
from actions.youth_identity import ActionForgetMe, ValidatePairingForm, pairing_idle, young_person
from bot.db import youth as repo
from bot.db.consents import CONTACT, record_consent
from bot.db.enrollments import NewEnrollment, create_enrollment
from bot.db.models import ConsentRecord, CourseEnrollment, CourseTeam, EnrollmentStatus
from bot.db.youth import YouthError
from bot.db.youth_models import YouthProfile
from bot.shared.clock import utc_now
from bot.shared.protocol import VERIFIED_PROFILE_ID
from tests.helpers import make_tracker, responses

SECRET = "22334455 og mette.tx@example.dk"  # stands for a citizen's data in a failing statement


def consents(session: Session, conversation: str) -> list[ConsentRecord]:
    session.expire_all()
    return list(session.scalars(select(ConsentRecord).where(ConsentRecord.conversation_id == conversation)))


def write_consent(tx: Transaction, conversation: str) -> None:
    record_consent(tx.session, conversation_id=conversation, purpose=CONTACT, text_shown=SECRET, given=True)


def duplicate_profile(tx: Transaction, *, flush: bool) -> None:
    """A second profile with a taken reference: the database refuses it (a unique index)."""
    for _ in range(2):
        tx.session.add(
            YouthProfile(
                reference="TX-DUP",
                first_name=SECRET,
                mentor_name="Sanne",
                mentor_contact="-",
                aftercare_ends_on=date(2028, 1, 1),
            )
        )
        if flush:
            tx.session.flush()


def test_replies_are_sent_only_after_the_commit(session: Session) -> None:
    dispatcher = CollectingDispatcher()
    seen_at_commit: list[int] = []
    with Transaction(dispatcher, "test") as tx:
        event.listen(tx.session, "after_commit", lambda _: seen_at_commit.append(len(dispatcher.messages)))
        write_consent(tx, "tx-ok")
        tx.reply("utter_logged_out", first_name="Mikkel")
        assert dispatcher.messages == []
    assert seen_at_commit == [0]  # nothing had been said when the commit happened
    assert not tx.failed and tx.committed
    assert responses(dispatcher) == ["utter_logged_out"] and dispatcher.messages[0]["first_name"] == "Mikkel"
    assert len(consents(session, "tx-ok")) == 1


@pytest.mark.parametrize("at_commit", [False, True], ids=["in the block", "at the commit"])
def test_a_database_error_writes_nothing_and_sends_only_the_database_error(
    session: Session, at_commit: bool, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = CollectingDispatcher()
    caplog.set_level(logging.DEBUG)
    with Transaction(dispatcher, "action_under_test") as tx:
        write_consent(tx, "tx-fails")
        tx.reply("utter_data_deleted")
        duplicate_profile(tx, flush=not at_commit)
        tx.reply("utter_conversation_deleted")
    assert tx.failed and not tx.committed
    assert responses(dispatcher) == ["utter_database_error"]
    assert dispatcher.messages[0]["municipality_phone"] and dispatcher.messages[0]["municipality_hours"]
    assert consents(session, "tx-fails") == []
    assert session.scalars(select(YouthProfile).where(YouthProfile.reference == "TX-DUP")).all() == []
    # Logged: where and what kind of error; never its text (the statement's parameters are a citizen's data).
    assert "action_under_test" in caplog.text and "IntegrityError" in caplog.text
    assert "22334455" not in caplog.text and "mette.tx" not in caplog.text


def test_the_session_works_on_after_a_rolled_back_transaction(session: Session) -> None:
    with Transaction(CollectingDispatcher(), "test") as tx:
        duplicate_profile(tx, flush=True)
    assert tx.failed
    dispatcher = CollectingDispatcher()
    with Transaction(dispatcher, "test") as again:
        write_consent(again, "tx-after")
        again.reply("utter_logged_out")
    assert not again.failed and responses(dispatcher) == ["utter_logged_out"]
    assert len(consents(session, "tx-after")) == 1


def test_database_down_sends_only_the_database_error(database_down: None) -> None:
    dispatcher = CollectingDispatcher()
    with Transaction(dispatcher, "test") as tx:
        write_consent(tx, "tx-down")
        tx.reply("utter_logged_out")
    assert tx.failed and responses(dispatcher) == ["utter_database_error"]


def test_an_action_with_its_own_fallback_gets_no_reply_or_its_own(session: Session) -> None:
    quiet = CollectingDispatcher()
    with Transaction(quiet, "test", error_reply=None) as tx:
        duplicate_profile(tx, flush=True)
    assert tx.failed and quiet.messages == []

    own = CollectingDispatcher()
    with Transaction(own, "test", error_reply="utter_distress_not_queued") as tx:
        duplicate_profile(tx, flush=True)
    assert responses(own) == ["utter_distress_not_queued"] and own.messages[0]["municipality_phone"]


def test_another_error_rolls_back_drops_the_replies_and_goes_on_up(session: Session) -> None:
    dispatcher = CollectingDispatcher()
    with pytest.raises(LookupError), Transaction(dispatcher, "test") as tx:
        write_consent(tx, "tx-other")
        tx.reply("utter_logged_out")
        raise LookupError("the action answers this itself")
    assert dispatcher.messages == [] and not tx.failed
    assert consents(session, "tx-other") == []


def test_errors_named_in_also_are_answered_like_a_database_error(session: Session) -> None:
    dispatcher = CollectingDispatcher()
    with Transaction(dispatcher, "test", also=(YouthError,)) as tx:
        write_consent(tx, "tx-also")
        raise YouthError("Mødet er ikke aftalt.")
    assert tx.failed and responses(dispatcher) == ["utter_database_error"]
    assert consents(session, "tx-also") == []


def test_the_session_lives_only_inside_the_block(session: Session) -> None:
    with Transaction(CollectingDispatcher(), "test") as tx:
        pass
    with pytest.raises(RuntimeError):
        _ = tx.session


# The young person's identity through the template ----------------------------


def with_metadata(sender: str, metadata: dict[str, Any]) -> Tracker:
    return make_tracker(sender_id=sender, events=[{"event": "user", "text": "", "metadata": metadata}])


def test_a_verified_young_person_is_bound_with_the_actions_commit(session: Session) -> None:
    profile = repo.create_profile(
        session,
        reference="TX-UNG",
        first_name="Mikkel",
        mentor_name="Sanne",
        mentor_contact="-",
        aftercare_ends_on=date(2028, 1, 1),
    )
    session.commit()
    dispatcher = CollectingDispatcher()
    with Transaction(dispatcher, "test") as tx:
        found = young_person(tx, with_metadata("tx-token", {VERIFIED_PROFILE_ID: profile.id}))
        assert found is not None and found.id == profile.id
    assert dispatcher.messages == []
    assert repo.bound_profile_id(session, "tx-token") == (profile.id, "token")


def test_someone_not_identified_is_told_so_after_the_commit(session: Session) -> None:
    dispatcher = CollectingDispatcher()
    with Transaction(dispatcher, "test") as tx:
        assert young_person(tx, with_metadata("tx-nobody", {})) is None
        assert dispatcher.messages == []
    assert responses(dispatcher) == ["utter_identify_first"]


# Actions: a commit that fails is never preceded by a reply --------------------


@pytest.fixture
def failing_commit() -> Iterator[None]:
    """Every commit from here on fails, as when the connection is lost at the
    commit (however the session is committed; a flush still works)."""

    def lost(_session: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    event.listen(Session, "before_commit", lost)
    yield
    event.remove(Session, "before_commit", lost)


def test_a_cancellation_whose_commit_fails_is_not_reported_as_done(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, request: pytest.FixtureRequest
) -> None:
    enrollment = create_enrollment(
        session,
        NewEnrollment(
            team_id=teams[0].id,
            parent_name="Mette",
            partner_name=None,
            due_date=due_in_three_months,
            birth_date=None,
            email="mette@example.dk",
            phone=None,
            conversation_id="tx-cancel",
            consent_text="ja",
        ),
    )
    session.commit()
    request.getfixturevalue("failing_commit")
    dispatcher = CollectingDispatcher()
    slots = {
        "lookup_purpose": "cancel",
        "cancel_confirmed": True,
        "lookup_enrollment_id": float(enrollment.id),
        "lookup_grant": lookup_grant("tx-cancel", enrollment.id),
    }
    asyncio.run(ActionFinishLookup().run(dispatcher, make_tracker(slots=slots, sender_id="tx-cancel"), {}))
    assert responses(dispatcher) == ["utter_database_error"]
    session.expire_all()
    assert session.get(CourseEnrollment, enrollment.id).status == EnrollmentStatus.ACTIVE  # type: ignore[union-attr]


def young_and_paired(session: Session, reference: str, conversation: str) -> YouthProfile:
    profile = repo.create_profile(
        session,
        reference=reference,
        first_name="Mikkel",
        mentor_name="Sanne",
        mentor_contact="-",
        aftercare_ends_on=date(2028, 1, 1),
    )
    repo.bind(session, conversation, profile.id, "pairing")
    session.commit()
    return profile


def test_a_log_out_whose_commit_fails_is_not_reported_as_done(session: Session, request: pytest.FixtureRequest) -> None:
    profile = young_and_paired(session, "TX-OUT", "tx-out")
    request.getfixturevalue("failing_commit")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionForgetMe().run(dispatcher, make_tracker(sender_id="tx-out"), {}))
    assert responses(dispatcher) == ["utter_database_error"] and events == []
    assert repo.bound_profile_id(session, "tx-out") == (profile.id, "pairing")


def test_an_expired_pairing_is_not_reported_when_its_log_out_is_not_committed(
    session: Session, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the template, "utter_pairing_expired" went out before the commit, then the database error."""
    profile = young_and_paired(session, "TX-IDLE", "tx-idle")
    later = utc_now() + pairing_idle() + timedelta(days=1)
    monkeypatch.setattr(identity, "now", lambda: later)
    request.getfixturevalue("failing_commit")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionListMeetings().run(dispatcher, make_tracker(sender_id="tx-idle"), {}))
    assert responses(dispatcher) == ["utter_database_error"] and events == []
    assert repo.bound_profile_id(session, "tx-idle") == (profile.id, "pairing")  # still bound: nothing was saved


def test_already_identified_is_not_said_before_a_commit_that_fails(
    session: Session, request: pytest.FixtureRequest
) -> None:
    """Before the template, "utter_already_identified" went out before the commit, then the database error."""
    young_and_paired(session, "TX-AGAIN", "tx-again")
    request.getfixturevalue("failing_commit")
    dispatcher = CollectingDispatcher()
    slots = ValidatePairingForm().validate_pairing_code("K7P-4QX", dispatcher, make_tracker(sender_id="tx-again"), {})
    assert responses(dispatcher) == ["utter_database_error"]
    assert slots == {"pairing_code": None, "pairing_outcome": "error"}
