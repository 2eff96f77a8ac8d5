"""Service texts changed as a whole (the staff app), every change kept with
the texts before and after it, and reverted as a new change; CLI edits and
seed resets kept the same way; the editor role. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import ServiceTextVersion, StaffRole
from bot.db.seed import seed_services
from bot.db.services import (
    ServiceEditError,
    change_service,
    get_service,
    latest_version_id,
    revert_service,
    texts_of,
    update_service,
    versions_of,
)
from bot.db.staff import StaffUserError, create_user

UNITS = {"sundhedsplejen", "tandplejen", "borgerservice"}
TODAY = date(2026, 12, 6)
NEW = {
    "answer": "Tandplejen er gratis for alle under 22 år.",
    "read_more": "Du kan også vælge en privat tandlæge fra 16 år.",
    "audience": "Børn og unge under 22 år.",
    "link": "https://kommune.dk/tandpleje",
}


@pytest.fixture
def seeded(session: Session) -> Session:
    seed_services(session)
    return session


def change(session: Session, values: dict[str, str], editor: str = "redaktor") -> ServiceTextVersion | None:
    return change_service(session, "tandpleje", values, editor=editor, known_units=UNITS, today=TODAY)


def test_a_change_is_kept_with_the_texts_before_and_after(seeded: Session) -> None:
    row = get_service(seeded, "tandpleje")
    assert row is not None
    original = texts_of(row)
    version = change(seeded, NEW)
    assert version is not None
    assert version.before == original and version.after == original | NEW
    assert sorted(version.changed_fields) == sorted(NEW)
    assert (version.change, version.changed_by) == ("edit", "redaktor")
    seeded.expire_all()
    row = get_service(seeded, "tandpleje")
    assert row is not None and (row.answer, row.link, row.updated_by, row.reviewed_on) == (
        NEW["answer"],
        NEW["link"],
        "redaktor",
        TODAY,
    )
    assert latest_version_id(seeded, row) == version.id


def test_the_same_texts_again_write_nothing(seeded: Session) -> None:
    row = get_service(seeded, "tandpleje")
    assert row is not None
    assert change(seeded, {field: texts_of(row)[field] for field in NEW}) is None
    assert versions_of(seeded, row) == []


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("answer", "  ", "'Kort svar' må ikke være tomt"),
        ("read_more", "x" * 1501, "'Læs mere' er for langt: 1501 tegn"),
        ("audience", "Børn {og unge}", "'Målgruppe' må ikke indeholde { eller }"),
        ("answer", "Ring til os}", "må ikke indeholde { eller }"),
        ("link", "http://kommune.dk/tandpleje", "https://"),
        ("link", "https://", "https://"),
        ("link", "javascript:alert(1)", "https://"),
        ("link", "https://kommune.dk/tand pleje", "https://"),
    ],
)
def test_one_bad_field_changes_no_field(seeded: Session, field: str, value: str, reason: str) -> None:
    row = get_service(seeded, "tandpleje")
    assert row is not None
    before = texts_of(row)
    with pytest.raises(ServiceEditError) as refused:
        change(seeded, NEW | {field: value})
    assert list(refused.value.reasons) == [field] and reason in refused.value.reasons[field]
    seeded.expire_all()
    assert texts_of(get_service(seeded, "tandpleje")) == before  # type: ignore[arg-type]
    assert seeded.scalars(select(ServiceTextVersion)).all() == []


def test_every_bad_field_gets_its_own_reason(seeded: Session) -> None:
    with pytest.raises(ServiceEditError) as refused:
        change(seeded, {"answer": "", "link": "ftp://kommune.dk", "audience": "{x}"})
    assert sorted(refused.value.reasons) == ["answer", "audience", "link"]


def test_a_revert_restores_the_texts_from_before_a_change_as_a_new_change(seeded: Session) -> None:
    row = get_service(seeded, "tandpleje")
    assert row is not None
    original = texts_of(row)
    first = change(seeded, NEW, editor="anne")
    second = change(seeded, {"answer": "Endnu en ny tekst."}, editor="bo")
    assert first is not None and second is not None
    reverted = revert_service(seeded, "tandpleje", first.id, editor="carl", known_units=UNITS, today=TODAY)
    assert reverted is not None
    assert (reverted.change, reverted.reverted_from, reverted.changed_by) == ("revert", first.id, "carl")
    assert reverted.before == original | NEW | {"answer": "Endnu en ny tekst."} and reverted.after == original
    seeded.expire_all()
    assert texts_of(get_service(seeded, "tandpleje")) == original  # type: ignore[arg-type]
    assert [v.id for v in versions_of(seeded, row)] == [reverted.id, second.id, first.id]


def test_a_version_of_another_topic_or_none_is_not_reverted(seeded: Session) -> None:
    other = change_service(
        seeded, "sundhedspleje", {"answer": "Ny tekst."}, editor="anne", known_units=UNITS, today=TODAY
    )
    assert other is not None
    for version_id in (other.id, 999_999):
        with pytest.raises(ServiceEditError, match="findes ikke"):
            revert_service(seeded, "tandpleje", version_id, editor="anne", known_units=UNITS, today=TODAY)


def test_cli_edits_and_seed_resets_are_kept_as_versions_too(seeded: Session) -> None:
    update_service(
        seeded, "tandpleje", "price", "Gratis for alle under 22.", editor="ab", known_units=UNITS, today=TODAY
    )
    seed_services(seeded, overwrite=True)
    row = get_service(seeded, "tandpleje")
    assert row is not None
    reset, edit = versions_of(seeded, row)
    assert (edit.change, edit.changed_fields, edit.after["price"]) == ("edit", ["price"], "Gratis for alle under 22.")
    assert (reset.change, reset.changed_by, reset.before["price"]) == ("seed", "seed", "Gratis for alle under 22.")
    # only the changed topic: the others were reset to what they already were
    assert len(seeded.scalars(select(ServiceTextVersion)).all()) == 2


def test_an_editor_account_can_be_made(session: Session) -> None:
    user = create_user(session, username="redaktor", display_name="Rie", role=StaffRole.EDITOR, password_hash="x")
    assert user.may_edit_texts and not user.is_admin
    staff = create_user(session, username="anne", display_name="Anne", role=StaffRole.STAFF, password_hash="x")
    assert not staff.may_edit_texts
    with pytest.raises(StaffUserError, match="staff, teamlead, editor eller admin"):
        create_user(session, username="x", display_name="X", role="owner", password_hash="x")
