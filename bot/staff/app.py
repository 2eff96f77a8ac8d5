"""The staff app: a small server-rendered FastAPI app on localhost.

Every route but the login page needs a signed-in staff member; every form
carries a CSRF token; sessions are signed cookies (HttpOnly, SameSite=Strict,
Secure behind HTTPS); failed logins are counted in the audit log and lock
the login for a while."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from bot.db.session import database_answers, make_sessionmaker
from bot.rasa_client import RasaClient
from bot.shared.settings import Settings, load_settings
from bot.staff import admin, auth, cases, conversations, dashboard, live, mobile, texts
from bot.staff.context import Forbidden, NotFound, NotSignedIn, StaffContext, page, signed_in

SESSION_HOURS = 8
SECURITY_HEADERS = {
    # Scripts only from the app itself (/live.js), and connections only back to it (/live).
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
    "style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def create_app(
    settings: Settings | None = None,
    sessions: sessionmaker[Session] | None = None,
    tracker_engine: Engine | None = None,
) -> FastAPI:
    settings = settings or load_settings()
    app = FastAPI(title="Personaleapp", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.staff = StaffContext(
        settings=settings,
        sessions=sessions or make_sessionmaker(settings.database_url, immediate=True),
        reads=sessions or make_sessionmaker(settings.database_url),
        rasa=RasaClient(settings.rasa_url, settings.rasa_api_secret),
        tracker_engine=tracker_engine or create_engine(settings.tracker_store_url),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.staff_secret,
        session_cookie="staff_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=settings.secure_cookies,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(NotSignedIn)
    async def to_login(request: Request, _error: NotSignedIn) -> Response:
        if request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        return Response("Log ind først.", status_code=401, media_type="text/plain; charset=utf-8")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        try:
            user = signed_in(request)
        except NotSignedIn:
            user = None
        status = 404 if isinstance(error, NotFound) else 403
        response: Response = page(request, "error.html", user, status_code=status, message=error.message)
        return response

    @app.get("/ready")
    def ready() -> Response:
        """For the process supervisor and a load balancer (open, like /login):
        whether this app can reach the municipal database; nothing else."""
        answers = database_answers(app.state.staff.reads)
        body = '{"status": "ok"}' if answers else '{"status": "database unavailable"}'
        return Response(body, status_code=200 if answers else 503, media_type="application/json")

    for module in (auth, cases, conversations, mobile, admin, dashboard, texts, live):
        app.include_router(module.router)
    return app


app = create_app()
