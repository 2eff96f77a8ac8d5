"""Log in and log out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from bot.db.audit import LOGIN_FAILED
from bot.db.staff import end_session, get_by_username, record_login, start_session, user_of_session
from bot.staff.context import CheckedForm, Ctx, audit, client_of, current_user, page
from bot.staff.security import login_locked, new_csrf_token, verify_password

router = APIRouter()


@router.get("/login")
def login_page(request: Request, ctx: Ctx) -> Any:
    if current_user(request, ctx) is not None:
        return RedirectResponse("/", status_code=303)
    return page(request, "login.html", None)


@router.post("/login")
def login(request: Request, form: CheckedForm, ctx: Ctx) -> Any:
    username = str(form.get("username") or "").strip().lower()[:100]
    password = str(form.get("password") or "")
    with ctx.sessions.begin() as session:
        if login_locked(session, username, client_of(request)):
            audit(session, request, username or "?", LOGIN_FAILED, detail="spærret: for mange forsøg")
            return page(
                request,
                "login.html",
                None,
                status_code=429,
                error="For mange forkerte forsøg. Vent 15 minutter, og prøv igen.",
            )
        user = get_by_username(session, username) if username else None
        if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
            audit(session, request, username or "?", LOGIN_FAILED)
            return page(request, "login.html", None, status_code=401, error="Forkert brugernavn eller adgangskode.")
        record_login(session, user)
        audit(session, request, user, "login")
        key = start_session(session, user)
    # A new session on login: nothing from before the login carries over.
    request.session.clear()
    request.session.update({"session_key": key, "csrf": new_csrf_token()})
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, form: CheckedForm, ctx: Ctx) -> Any:
    key = request.session.get("session_key")
    if isinstance(key, str):
        with ctx.sessions.begin() as session:
            user = user_of_session(session, key)
            if user is not None:
                audit(session, request, user, "logout")
            end_session(session, key)  # the cookie, copied or not, is worth nothing now
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
