"""For administrators: the audit log, the staff accounts, and the export of
tagged messages as NLU training data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from bot.db.audit import recent
from bot.db.review import all_tags, export_nlu
from bot.db.staff import list_users
from bot.staff.context import Admin, Ctx, audit, page

router = APIRouter(prefix="/admin")


@router.get("/log")
def audit_page(request: Request, user: Admin, ctx: Ctx, q: str = "") -> Any:
    with ctx.sessions.begin() as session:
        entries = recent(session, search=q.strip()[:100])
        audit(session, request, user, "view_audit_log")
    return page(request, "audit.html", user, entries=entries, q=q)


@router.get("/brugere")
def users_page(request: Request, user: Admin, ctx: Ctx) -> Any:
    with ctx.sessions.begin() as session:
        users = list_users(session)
        audit(session, request, user, "view_users")
    return page(request, "users.html", user, users=users)


@router.get("/eksport")
def export_page(request: Request, user: Admin, ctx: Ctx) -> Any:
    with ctx.sessions.begin() as session:
        tags = all_tags(session)
        audit(session, request, user, "view_export")
    return page(request, "export.html", user, tags=tags)


@router.get("/eksport.yml")
def export_file(request: Request, user: Admin, ctx: Ctx) -> Any:
    with ctx.sessions.begin() as session:
        text = export_nlu(all_tags(session))
        audit(session, request, user, "export_tags")
    return PlainTextResponse(
        text,
        media_type="text/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="maerkede-beskeder.yml"'},
    )
