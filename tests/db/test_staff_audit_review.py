"""Staff accounts, the audit log's failed-login count, and review tags with
their export as NLU training data, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from sqlalchemy.orm import Session

from bot.db.audit import LOGIN_FAILED, failed_logins_since, record
from bot.db.models import AuditEntry, utcnow
from bot.db.review import ReviewTagError, add_tag, all_tags, delete_by_conversation, export_nlu
from bot.db.staff import StaffUserError, create_user, get_by_username
from bot.staff.security import PasswordError, hash_password, verify_password


def test_staff_user_names_are_unique_and_case_blind(session: Session) -> None:
    create_user(session, username="Anne", display_name="Anne", role="staff", password_hash="x")
    assert get_by_username(session, " ANNE ") is not None
    with pytest.raises(StaffUserError, match="findes allerede"):
        create_user(session, username="anne", display_name="", role="staff", password_hash="x")
    with pytest.raises(StaffUserError, match="Rollen"):
        create_user(session, username="bo", display_name="", role="root", password_hash="x")


def test_a_team_lead_is_a_role_of_its_own_and_the_database_knows_no_other(session: Session) -> None:
    from sqlalchemy.exc import IntegrityError

    lis = create_user(session, username="lis", display_name="Lis", role="teamlead", team="youth", password_hash="x")
    assert (lis.is_team_lead, lis.is_admin, lis.role_name, lis.team) == (True, False, "teamleder", "youth")
    lis.role = "chef"
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_passwords_are_argon2_hashed_and_checked() -> None:
    hashed = hash_password("korrekt-hest-batteri")
    assert hashed.startswith("$argon2id$") and "korrekt" not in hashed
    assert verify_password(hashed, "korrekt-hest-batteri")
    assert not verify_password(hashed, "forkert-hest-batteri")
    assert not verify_password(None, "korrekt-hest-batteri")
    assert not verify_password("not a hash", "x")
    with pytest.raises(PasswordError):
        hash_password("kort")


def test_failed_logins_are_counted_per_user_and_client_within_the_window(session: Session) -> None:
    for _ in range(3):
        record(session, "anne", LOGIN_FAILED, client="10.0.0.1")
    record(session, "bo", LOGIN_FAILED, client="10.0.0.1")
    record(session, "anne", "login", client="10.0.0.1")
    old = AuditEntry(actor="anne", action=LOGIN_FAILED, client="10.0.0.1", at=utcnow() - timedelta(hours=2))
    session.add(old)
    session.flush()
    since = utcnow() - timedelta(minutes=15)
    assert failed_logins_since(session, username="anne", client="10.0.0.1", since=since) == (3, 4)
    assert failed_logins_since(session, username="carl", client="10.0.0.2", since=since) == (0, 0)


def tag(
    session: Session, conversation: str, text: str, predicted: str, correct: str | None, label: str = "misforstaaet"
) -> None:
    add_tag(
        session,
        conversation_id=conversation,
        message_at=1.5,
        message_text=text,
        predicted_intent=predicted,
        confidence=0.4,
        tag=label,
        correct_intent=correct,
        tagged_by="anne",
    )


def test_tags_export_as_rasa_nlu_data_under_the_right_intent(session: Session) -> None:
    tag(session, "c1", "kan i ringe mig op", "nlu_fallback", "request_human")
    tag(session, "c2", "hvornaar er der kursus", "ask_course_info", None, label="godt_svar")
    tag(session, "c3", "kan i ringe mig op", "nlu_fallback", "request_human")  # the same words once
    with pytest.raises(ReviewTagError):
        tag(session, "c4", "x", "greet", None, label="ukendt")
    exported = export_nlu(all_tags(session))
    data = yaml.safe_load(exported)
    assert data["version"] == "3.1"
    assert {block["intent"]: block["examples"] for block in data["nlu"]} == {
        "ask_course_info": "- hvornaar er der kursus\n",
        "request_human": "- kan i ringe mig op\n",
    }
    assert delete_by_conversation(session, "c1") == 1
    assert len(all_tags(session)) == 2
