"""The services catalogue: seeded idempotently, edited by staff with checks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.db.seed import planned_services, seed_services
from bot.db.services import ServiceEditError, get_service, list_services, update_service

UNITS = {"sundhedsplejen", "tandplejen", "borgerservice"}
TODAY = date(2026, 11, 29)


@pytest.fixture
def seeded(session: Session) -> Session:
    seed_services(session)
    return session


def test_seeding_twice_adds_every_topic_once(seeded: Session) -> None:
    assert seed_services(seeded) == 0
    assert sorted(s.topic for s in list_services(seeded)) == sorted(s.topic for s in planned_services())


def test_seeding_keeps_staff_edits_and_overwrite_resets_them(seeded: Session) -> None:
    update_service(
        seeded, "tandpleje", "price", "Gratis for alle under 22.", editor="ab", known_units=UNITS, today=TODAY
    )
    seed_services(seeded)
    assert get_service(seeded, "tandpleje").price == "Gratis for alle under 22."  # type: ignore[union-attr]
    assert seed_services(seeded, overwrite=True) == len(planned_services())
    original = next(s for s in planned_services() if s.topic == "tandpleje")
    row = get_service(seeded, "tandpleje")
    assert row is not None and row.price == original.price and row.updated_by == "seed"


def test_an_edit_is_stored_with_who_and_when(seeded: Session) -> None:
    update_service(
        seeded,
        "sundhedspleje",
        "answer",
        "  Ny tekst om sundhedsplejen.  ",
        editor="mette@kommune.dk",
        known_units=UNITS,
        today=TODAY,
    )
    seeded.expire_all()
    row = get_service(seeded, "sundhedspleje")
    assert row is not None
    assert (row.answer, row.updated_by, row.reviewed_on) == ("Ny tekst om sundhedsplejen.", "mette@kommune.dk", TODAY)


def test_related_topics_are_cleaned(seeded: Session) -> None:
    row = update_service(
        seeded,
        "sundhedspleje",
        "related",
        " foraeldrenetvaerk ,familie_med_hjerte,",
        editor="ab",
        known_units=UNITS,
        today=TODAY,
    )
    assert row.related_topics == ["foraeldrenetvaerk", "familie_med_hjerte"]


@pytest.mark.parametrize(
    ("topic", "field", "value", "reason"),
    [
        ("sundhedspleje", "answer", "   ", "må ikke være tomt"),
        ("sundhedspleje", "answer", "x" * 701, "for langt"),
        ("sundhedspleje", "link", "http://usikker.dk", "https://"),
        ("sundhedspleje", "price", "Gratis {for alle}", "{ eller }"),
        ("sundhedspleje", "unit", "ukendt_enhed", "findes ikke i kommunefilen"),
        ("sundhedspleje", "related", "tandpleje,pas_og_koerekort", "pas_og_koerekort"),
        ("sundhedspleje", "topic", "noget", "kan ikke rettes"),
        ("pas", "answer", "Pas fås i Borgerservice.", "findes ikke"),
    ],
)
def test_bad_edits_are_refused_in_danish_and_change_nothing(
    seeded: Session, topic: str, field: str, value: str, reason: str
) -> None:
    before = {s.topic: (s.answer, s.link, s.unit, s.related) for s in list_services(seeded)}
    with pytest.raises(ServiceEditError, match=reason):
        update_service(seeded, topic, field, value, editor="ab", known_units=UNITS, today=TODAY)
    seeded.expire_all()
    assert {s.topic: (s.answer, s.link, s.unit, s.related) for s in list_services(seeded)} == before
