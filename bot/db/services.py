"""The services catalogue: read by the FAQ actions, edited by staff (the CLI
and the staff app), every change kept with the texts before and after it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Service, ServiceTextChange, ServiceTextVersion
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
# The names staff see (the staff app's labels, and the reasons for a refusal).
FIELD_LABELS = {
    "title": "Titel",
    "answer": "Kort svar",
    "read_more": "Læs mere",
    "audience": "Målgruppe",
    "price": "Pris",
    "unit": "Enhed",
    "link": "Link",
    "next_step": "Næste skridt",
    "related": "Relaterede emner",
    "sources": "Kilder",
}
MAX_LENGTH = {
    "title": 100,
    "answer": 700,
    "read_more": 1500,
    "audience": 500,
    "price": 500,
    "unit": 60,
    "link": 500,
    "next_step": 300,
    "related": 300,
    "sources": 4000,
}


class ServiceEditError(ValueError):
    """An edit staff asked for that would break the answers; the text says why, in Danish.
    `reasons` has one reason per field when several fields were checked at once."""

    def __init__(self, message: str, reasons: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.reasons = dict(reasons or {})


def get_service(session: Session, topic: str) -> Service | None:
    return session.scalar(select(Service).where(Service.topic == topic))


def list_services(session: Session) -> Sequence[Service]:
    return session.scalars(select(Service).order_by(Service.topic)).all()


def is_https_link(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and not any(char.isspace() for char in value)


def check_edit(field: str, value: str, *, known_topics: set[str], known_units: set[str]) -> str:
    """The cleaned value, or ServiceEditError with a reason staff can act on."""
    if field not in EDITABLE_FIELDS:
        raise ServiceEditError(f"Feltet '{field}' kan ikke rettes. Du kan rette: {', '.join(EDITABLE_FIELDS)}.")
    label = FIELD_LABELS[field]
    value = value.strip()
    if field == "related":
        topics = [topic.strip() for topic in value.split(",") if topic.strip()]
        unknown = [topic for topic in topics if topic not in known_topics]
        if unknown:
            raise ServiceEditError(f"Ukendte emner i '{label}': {', '.join(unknown)}.")
        value = ",".join(topics)
    elif not value:
        raise ServiceEditError(f"Feltet '{label}' må ikke være tomt.")
    if len(value) > MAX_LENGTH[field]:
        raise ServiceEditError(
            f"Feltet '{label}' er for langt: {len(value)} tegn. Der må højst være {MAX_LENGTH[field]} tegn."
        )
    if "{" in value or "}" in value:
        # Rasa fills {placeholders} in responses; a stray brace would break the answer.
        raise ServiceEditError(f"Feltet '{label}' må ikke indeholde {{ eller }}. Brug almindelige parenteser ( ).")
    if field == "link" and not is_https_link(value):
        raise ServiceEditError(
            "Linket skal være en sikker internetadresse, der begynder med https://, fx https://kommune.dk/tandpleje."
        )
    if field == "unit" and value not in known_units:
        raise ServiceEditError(
            f"Enheden '{value}' findes ikke i kommunefilen. Kendte enheder: {', '.join(sorted(known_units))}."
        )
    return value


def texts_of(service: Service) -> dict[str, str]:
    """Every editable field of the row, as a version stores them."""
    return {field: str(getattr(service, field)) for field in EDITABLE_FIELDS}


def check_texts(session: Session, values: Mapping[str, str], *, known_units: set[str]) -> dict[str, str]:
    """Every value cleaned; ServiceEditError with one reason per bad field otherwise."""
    known_topics = {row.topic for row in list_services(session)}
    cleaned, reasons = {}, {}
    for field, value in values.items():
        try:
            cleaned[field] = check_edit(field, value, known_topics=known_topics, known_units=known_units)
        except ServiceEditError as error:
            reasons[field] = str(error)
    if reasons:
        raise ServiceEditError(" ".join(reasons.values()), reasons)
    return cleaned


def record_version(
    session: Session,
    service: Service,
    before: dict[str, str],
    *,
    editor: str,
    change: str = ServiceTextChange.EDIT,
    reverted_from: int | None = None,
) -> ServiceTextVersion:
    version = ServiceTextVersion(
        service_id=service.id,
        change=change,
        reverted_from=reverted_from,
        before=before,
        after=texts_of(service),
        changed_by=editor[:100],
        changed_at=utc_now(),
    )
    session.add(version)
    session.flush()
    return version


def change_service(
    session: Session,
    topic: str,
    values: Mapping[str, str],
    *,
    editor: str,
    known_units: set[str],
    today: date,
    change: str = ServiceTextChange.EDIT,
    reverted_from: int | None = None,
) -> ServiceTextVersion | None:
    """Change some fields of one topic, all or none; the change counts as a
    review today and is kept as a version (before and after). None when the
    values are what the row already says (nothing is written)."""
    service = get_service(session, topic)
    if service is None:
        raise ServiceEditError(f"Emnet '{topic}' findes ikke.")
    cleaned = check_texts(session, values, known_units=known_units)
    before = texts_of(service)
    if all(before[field] == value for field, value in cleaned.items()):
        return None
    for field, value in cleaned.items():
        setattr(service, field, value)
    service.reviewed_on = today
    service.updated_at = utc_now()
    service.updated_by = editor[:100]
    session.flush()
    return record_version(session, service, before, editor=editor, change=change, reverted_from=reverted_from)


def update_service(
    session: Session, topic: str, field: str, value: str, *, editor: str, known_units: set[str], today: date
) -> Service:
    """Change one field of one topic (the CLI); the change counts as a review today."""
    change_service(session, topic, {field: value}, editor=editor, known_units=known_units, today=today)
    service = get_service(session, topic)
    assert service is not None  # change_service raised otherwise
    service.reviewed_on = today
    session.flush()
    return service


def versions_of(session: Session, service: Service, limit: int = 50) -> list[ServiceTextVersion]:
    """The topic's changes, newest first."""
    query = (
        select(ServiceTextVersion)
        .where(ServiceTextVersion.service_id == service.id)
        .order_by(ServiceTextVersion.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def latest_version_id(session: Session, service: Service) -> int:
    """The newest version's id (0 before the first change): what an edit form was made from."""
    latest = versions_of(session, service, limit=1)
    return latest[0].id if latest else 0


def revert_service(
    session: Session, topic: str, version_id: int, *, editor: str, known_units: set[str], today: date
) -> ServiceTextVersion | None:
    """Restore the texts from before the change `version_id` of this topic, as a new version."""
    service = get_service(session, topic)
    version = session.get(ServiceTextVersion, version_id) if 0 < version_id < 2**31 else None
    if service is None or version is None or version.service_id != service.id:
        raise ServiceEditError("Den udgave findes ikke.")
    restored = {field: value for field, value in version.before.items() if field in EDITABLE_FIELDS}
    return change_service(
        session,
        topic,
        restored,
        editor=editor,
        known_units=known_units,
        today=today,
        change=ServiceTextChange.REVERT,
        reverted_from=version.id,
    )
