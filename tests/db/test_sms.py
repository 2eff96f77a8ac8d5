"""Texts on real SQLite and PostgreSQL: one conversation per number, a
retried message id recorded once, opt-out, offered buttons, outbound texts
and their delivery reports, registered numbers, where a meeting notice goes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.db import sms as repo
from bot.db.sms_models import OutboundStatus
from bot.db.youth import bind, create_profile
from bot.shared.clock import DANISH_TIME
from bot.youth.notices import target_of

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=DANISH_TIME)
NUMBER = "4520000001"


def test_one_conversation_per_number_and_a_retry_is_recorded_once(session: Session) -> None:
    row = repo.conversation(session, NUMBER, "sms-abc")
    assert repo.conversation(session, NUMBER, "sms-other").id == row.id
    assert repo.register_inbound(session, "gw-1", row.conversation_id, NOW)
    assert not repo.register_inbound(session, "gw-1", row.conversation_id, NOW)
    assert not repo.register_inbound(session, "gw-1", row.conversation_id, NOW)
    assert repo.register_inbound(session, "gw-2", row.conversation_id, NOW)


def test_a_stopped_number_gets_no_text_but_the_receipt(session: Session) -> None:
    row = repo.conversation(session, NUMBER, "sms-stop")
    assert repo.opt_out(session, row, NOW) and not repo.opt_out(session, row, NOW)
    assert repo.is_stopped(session, NUMBER)
    assert repo.add_outbound(session, row, "svar", "reply", NOW).status == OutboundStatus.SUPPRESSED
    assert repo.add_outbound(session, row, "kvittering", "optout", NOW, force=True).status == OutboundStatus.QUEUED
    # other tests' texts may be queued in the shared database (the SMS app's tests commit)
    assert [t.body for t in repo.queued(session) if t.conversation_id == row.conversation_id] == ["kvittering"]
    assert repo.opt_in(session, row, NOW) and not repo.opt_in(session, row, NOW)
    assert not repo.is_stopped(session, NUMBER) and row.opted_in_at is not None


def test_offered_buttons_are_used_up_by_an_answer(session: Session) -> None:
    row = repo.conversation(session, NUMBER, "sms-buttons")
    repo.offer(session, row, [("Ja", "/affirm"), ("Nej", "/deny")])
    assert repo.take_offered(session, row) == [("Ja", "/affirm"), ("Nej", "/deny")]
    assert repo.take_offered(session, row) == []


def test_outbound_status_and_delivery_reports(session: Session) -> None:
    row = repo.conversation(session, NUMBER, "sms-out")
    text = repo.add_outbound(session, row, "Hej", "reply", NOW)
    repo.mark_outbound(session, text.id, OutboundStatus.SENT, NOW, gateway_id="777", attempts=2)
    assert repo.delivery_report(session, "777", True, NOW)
    assert not repo.delivery_report(session, "unknown", True, NOW)
    [stored] = repo.outbound_of(session, "sms-out")
    assert (stored.status, stored.gateway_id, stored.attempts) == (OutboundStatus.DELIVERED, "777", 2)
    with pytest.raises(ValueError):
        repo.mark_outbound(session, text.id, "lost", NOW)


def test_a_gateway_id_used_again_reports_on_the_latest_text(session: Session) -> None:
    row = repo.conversation(session, NUMBER, "sms-again")
    before, after = (repo.add_outbound(session, row, body, "reply", NOW) for body in ("Før", "Efter"))
    for text in (before, after):  # a restarted gateway, or another account, counting from the same id
        repo.mark_outbound(session, text.id, OutboundStatus.SENT, NOW, gateway_id="1000")
    repo.mark_outbound(session, before.id, OutboundStatus.DELIVERED, NOW)
    assert repo.delivery_report(session, "1000", False, NOW)
    assert [(t.body, t.status) for t in repo.outbound_of(session, "sms-again")] == [
        ("Før", OutboundStatus.DELIVERED),
        ("Efter", OutboundStatus.UNDELIVERED),
    ]


def test_a_number_is_registered_on_one_profile(session: Session) -> None:
    for reference in ("UNG-S1", "UNG-S2"):
        create_profile(
            session,
            reference=reference,
            first_name="Sara",
            mentor_name="Lene",
            mentor_contact="lene@example.dk",
            aftercare_ends_on=date(2028, 1, 1),
        )
    profile = repo.set_mobile(session, "ung-s1", NUMBER)
    found = repo.profile_by_number(session, NUMBER)
    assert found is not None and found.profile_id == profile.id
    assert repo.mobile_of(session, profile.id) == NUMBER
    with pytest.raises(repo.SmsError):
        repo.set_mobile(session, "UNG-S2", NUMBER)
    with pytest.raises(repo.SmsError):
        repo.set_mobile(session, "UNG-NONE", NUMBER)
    repo.set_mobile(session, "UNG-S1", None)
    assert repo.profile_by_number(session, NUMBER) is None


def test_a_meeting_notice_goes_by_text_else_to_the_chat_and_never_to_a_stopped_number(session: Session) -> None:
    profile = create_profile(
        session,
        reference="UNG-N1",
        first_name="Noah",
        mentor_name="Lene",
        mentor_contact="lene@example.dk",
        aftercare_ends_on=date(2028, 1, 1),
    )
    key = "number-key-for-the-tests"
    assert target_of(session, profile.id, None, NOW, None, key) == (None, "")  # no number, no chat: not yet
    assert target_of(session, profile.id, "web-1", NOW, None, key) == ("web-1", "latest")  # where it was booked
    repo.set_mobile(session, "UNG-N1", "4520000077")
    by_text, channel = target_of(session, profile.id, "web-1", NOW, None, key)
    assert channel == "sms" and by_text is not None and by_text.startswith("sms-")
    row = repo.by_conversation(session, by_text)
    assert row is not None and repo.opt_out(session, row, NOW)
    assert target_of(session, profile.id, None, NOW, None, key) == (None, "sms")  # stopped, no chat: none
    assert bind(session, "web-2", profile.id, "token")
    assert target_of(session, profile.id, None, NOW, None, key) == ("web-2", "latest")  # stopped: the chat
