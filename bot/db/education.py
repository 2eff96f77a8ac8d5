"""A young person's education: what changed (started, changed, paused, stopped,
finished), and their profile's current programme kept in step. Repository
functions take a session and never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.youth import YouthError
from bot.db.youth_models import EducationEvent, YouthProfile

EDUCATION_KINDS = ("started", "changed", "paused", "stopped", "finished")


def record_education(
    session: Session,
    profile: YouthProfile,
    *,
    kind: str,
    programme: str,
    institution: str | None,
    occurred_on: date,
    note: str | None = None,
    recorded_by: str = "chat",
) -> EducationEvent:
    if kind not in EDUCATION_KINDS:
        raise YouthError("Ukendt ændring.")
    event = EducationEvent(
        profile_id=profile.id,
        kind=kind,
        programme=programme[:100],
        institution=institution and institution[:150],
        occurred_on=occurred_on,
        note=note,
        recorded_by=recorded_by,
    )
    session.add(event)
    if kind in ("started", "changed"):
        profile.programme, profile.institution = programme[:100], institution and institution[:150]
    elif kind in ("stopped", "finished") and (profile.programme or "").lower() == programme.lower():
        profile.programme, profile.institution = None, None
    session.flush()
    return event


def latest_education(session: Session, profile_id: int, limit: int = 3) -> list[EducationEvent]:
    query = (
        select(EducationEvent)
        .where(EducationEvent.profile_id == profile_id)
        .order_by(EducationEvent.occurred_on.desc(), EducationEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
