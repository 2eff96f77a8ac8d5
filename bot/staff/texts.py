"""The service texts the assistant answers with, edited by editors (and
admins): the short answer, "Læs mere", the audience and the link, with the
sources and the review date beside them, a preview of the answer as the
citizen will see it, and the history of every change with a revert.

Every change goes through bot/db/services.py (the checks the CLI uses too),
is kept as a version with the texts before and after, and is named in the
audit log. The action reads the row on every answer, so the next answer uses
it without retraining."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from bot.db.models import Service, StaffUser
from bot.db.services import (
    FIELD_LABELS,
    MAX_LENGTH,
    ServiceEditError,
    change_service,
    check_texts,
    get_service,
    latest_version_id,
    list_services,
    revert_service,
    versions_of,
)
from bot.service_replies import ServiceText, preview
from bot.shared.clock import danish_today
from bot.shared.municipality import current_municipality
from bot.staff.context import CheckedForm, Ctx, Editor, NotFound, StaffContext, audit, page

router = APIRouter(prefix="/tekster")

# What the staff app edits; the other fields (title, unit, next step, related
# topics, sources) stay with the CLI.
APP_FIELDS = ("answer", "read_more", "audience", "link")
# The typed input is shown again after a refusal, but never more than this.
KEEP_AT_MOST = 20_000
CHANGE_NAMES = {"edit": "Rettet", "revert": "Gendannet", "seed": "Nulstillet fra seed-filen"}
SAVED = {
    "1": "Gemt. Næste svar i chatten bruger den nye tekst.",
    "0": "Der var ingen ændringer at gemme.",
    "gendannet": "Gendannet. Næste svar i chatten bruger den gendannede tekst.",
}
CHANGED_MEANWHILE = (
    "Teksten er blevet ændret af en anden, mens du havde den åben, så din ændring er ikke gemt. "
    "Se den nye tekst i historikken nedenfor. Din tekst står stadig i formularen: gem igen, hvis den skal bruges."
)


def _known_units() -> set[str]:
    return set(current_municipality().units)


def _titles(session: Session) -> dict[str, str]:
    return {row.topic: row.title for row in list_services(session)}


def _typed(form: FormData) -> dict[str, str]:
    return {field: str(form.get(field) or "") for field in APP_FIELDS}


def _service_or_404(session: Session, topic: str) -> Service:
    service = get_service(session, topic[:60])
    if service is None:
        raise NotFound("Emnet findes ikke.")
    return service


def _edit_page(
    request: Request,
    ctx: StaffContext,
    user: StaffUser,
    topic: str,
    *,
    values: dict[str, str] | None = None,
    reasons: dict[str, str] | None = None,
    previewing: bool = False,
    message: str = "",
    error: str = "",
    based_on: int | None = None,
    status_code: int = 200,
) -> Any:
    """The edit form, filled with the saved texts or the typed ones (`values`)."""
    with ctx.reads() as session:
        service = _service_or_404(session, topic)
        saved = ServiceText.of(service)
        shown = saved.with_texts(values) if previewing and values else saved
        return page(
            request,
            "text_edit.html",
            user,
            status_code=status_code,
            service=service,
            values={field: str(getattr(service, field)) for field in APP_FIELDS}
            | {field: value[:KEEP_AT_MOST] for field, value in (values or {}).items()},
            reasons=reasons or {},
            fields=APP_FIELDS,
            labels=FIELD_LABELS,
            limits=MAX_LENGTH,
            preview=preview(shown, _titles(session)),
            previewing=previewing,
            message=message,
            error=error,
            versions=versions_of(session, service),
            based_on=latest_version_id(session, service) if based_on is None else based_on,
            change_names=CHANGE_NAMES,
        )


@router.get("")
def texts_page(request: Request, user: Editor, ctx: Ctx) -> Any:
    with ctx.reads() as session:
        return page(request, "texts.html", user, services=list_services(session))


@router.get("/{topic}")
def text_page(request: Request, topic: str, user: Editor, ctx: Ctx, gemt: str = "") -> Any:
    return _edit_page(request, ctx, user, topic, message=SAVED.get(gemt, ""))


@router.post("/{topic}")
def save_text(request: Request, topic: str, form: CheckedForm, user: Editor, ctx: Ctx) -> Any:
    """ "Vis forhåndsvisning" checks and shows the typed texts; "Gem" saves them.
    A refusal shows the reason by the field, keeps the typed texts and changes nothing."""
    values = _typed(form)
    raw = str(form.get("based_on") or "")[:18]
    based_on = int(raw) if raw.isdecimal() else -1  # no version: the save is refused as made from another
    back = f"/tekster/{quote(topic, safe='')}"
    try:
        if form.get("action") != "save":
            with ctx.reads() as session:
                _service_or_404(session, topic)
                check_texts(session, values, known_units=_known_units())
            return _edit_page(request, ctx, user, topic, values=values, previewing=True, based_on=based_on)
        with ctx.sessions.begin() as session:
            service = _service_or_404(session, topic)
            # Saved over by someone else since the form was made: nothing is written.
            changed_meanwhile = latest_version_id(session, service) != based_on
            version = None
            if not changed_meanwhile:
                version = change_service(
                    session, topic, values, editor=user.username, known_units=_known_units(), today=danish_today()
                )
            if version is not None:
                detail = f"version:{version.id}; {', '.join(version.changed_fields)}"
                audit(session, request, user, "edit_service_text", f"service:{service.topic}", detail)
        if changed_meanwhile:
            return _edit_page(
                request, ctx, user, topic, values=values, error=CHANGED_MEANWHILE, status_code=409
            )  # the form is now made from the newest version: saving again is a choice made knowingly
    except ServiceEditError as error:
        return _edit_page(
            request,
            ctx,
            user,
            topic,
            values=values,
            reasons=error.reasons,
            based_on=based_on,
            error="Teksten er ikke gemt. Ret det, der står ved felterne nedenfor.",
            status_code=400,
        )
    return RedirectResponse(f"{back}?gemt={'1' if version is not None else '0'}", status_code=303)


@router.post("/{topic}/gendan/{version_id}")
def revert_text(request: Request, topic: str, version_id: int, form: CheckedForm, user: Editor, ctx: Ctx) -> Any:
    """Restore the texts from before one change, as a new change (audited too)."""
    back = f"/tekster/{quote(topic, safe='')}"
    try:
        with ctx.sessions.begin() as session:
            service = _service_or_404(session, topic)
            version = revert_service(
                session, topic, version_id, editor=user.username, known_units=_known_units(), today=danish_today()
            )
            if version is not None:
                detail = f"version:{version.id} fra før version:{version_id}; {', '.join(version.changed_fields)}"
                audit(session, request, user, "revert_service_text", f"service:{service.topic}", detail)
    except ServiceEditError as error:
        if not error.reasons:  # no such version of this topic
            raise NotFound(str(error)) from error
        reasons = "; ".join(error.reasons.values())
        return _edit_page(request, ctx, user, topic, error=f"Teksten kunne ikke gendannes: {reasons}", status_code=400)
    return RedirectResponse(f"{back}?gemt={'gendannet' if version is not None else '0'}", status_code=303)
