"""The services catalogue: read by the FAQ actions, edited by staff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Service
from bot.shared.clock import utc_now

EDITABLE_FIELDS = (
    "title",
    "answer",
    "read_more",
    "audience",
    "price",
    "unit",
    "link",
    "next_step",
    "related",
    "sources",
)
MAX_LENGTH = {"title": 100, "answer": 700, "unit": 60, "link": 500, "related": 300, "next_step": 300}


class ServiceEditError(ValueError):
    """An edit staff asked for that would break the answers; the text says why, in Danish."""


def get_service(session: Session, topic: str) -> Service | None:
    return session.scalar(select(Service).where(Service.topic == topic))


def list_services(session: Session) -> Sequence[Service]:
    return session.scalars(select(Service).order_by(Service.topic)).all()


def check_edit(field: str, value: str, *, known_topics: set[str], known_units: set[str]) -> str:
    """The cleaned value, or ServiceEditError with a reason staff can act on."""
    if field not in EDITABLE_FIELDS:
        raise ServiceEditError(f"Feltet '{field}' kan ikke rettes. Du kan rette: {', '.join(EDITABLE_FIELDS)}.")
    value = value.strip()
    if field == "related":
        topics = [topic.strip() for topic in value.split(",") if topic.strip()]
        unknown = [topic for topic in topics if topic not in known_topics]
        if unknown:
            raise ServiceEditError(f"Ukendte emner i 'related': {', '.join(unknown)}.")
        value = ",".join(topics)
    elif not value:
        raise ServiceEditError(f"Feltet '{field}' må ikke være tomt.")
    if len(value) > MAX_LENGTH.get(field, 4000):
        raise ServiceEditError(f"Feltet '{field}' er for langt: {len(value)} tegn, højst {MAX_LENGTH[field]}.")
    if "{" in value or "}" in value:
        # Rasa fills {placeholders} in responses; a stray brace would break the answer.
        raise ServiceEditError("Teksten må ikke indeholde { eller }.")
    if field == "link" and not value.startswith("https://"):
        raise ServiceEditError("Linket skal begynde med https://.")
    if field == "unit" and value not in known_units:
        raise ServiceEditError(
            f"Enheden '{value}' findes ikke i kommunefilen. Kendte enheder: {', '.join(sorted(known_units))}."
        )
    return value


def update_service(
    session: Session, topic: str, field: str, value: str, *, editor: str, known_units: set[str], today: date
) -> Service:
    """Change one field of one topic; the change counts as a review today."""
    service = get_service(session, topic)
    if service is None:
        raise ServiceEditError(f"Emnet '{topic}' findes ikke.")
    known_topics = {row.topic for row in list_services(session)}
    setattr(service, field, check_edit(field, value, known_topics=known_topics, known_units=known_units))
    service.reviewed_on = today
    service.updated_at = utc_now()
    service.updated_by = editor
    session.flush()
    return service
