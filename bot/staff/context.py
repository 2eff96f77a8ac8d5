"""What every staff route needs: the database, Rasa, the templates, the
signed-in user, and the CSRF check on every form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from bot.db.audit import record
from bot.db.models import StaffUser
from bot.db.staff import user_of_session
from bot.rasa_client import RasaClient
from bot.shared.clock import DANISH_TIME
from bot.shared.settings import Settings
from bot.staff.markdown import render as render_markdown
from bot.staff.security import csrf_matches, new_csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
TEMPLATES.env.filters["local"] = lambda moment: moment.astimezone(DANISH_TIME).strftime("%d.%m.%Y %H:%M")
TEMPLATES.env.filters["markdown"] = render_markdown


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(Forbidden):
    pass


@dataclass
class StaffContext:
    """`sessions` for transactions that write; `reads` for pages and the live
    stream that only read. On SQLite the two differ: a write transaction takes
    the write lock when it begins and waits for it, because a transaction that
    read first and then writes fails at once when another request wrote in
    between (two staff opening the same case after taking it at once did
    exactly that); reads need no lock and must not queue behind a write."""

    settings: Settings
    sessions: sessionmaker[Session]
    reads: sessionmaker[Session]
    rasa: RasaClient
    tracker_engine: Engine
    # The live stream (bot/staff/live.py): how often it looks for changes, and
    # how long one connection lasts before the browser reconnects (its session
    # is checked on every look, and again on every reconnect).
    live_poll_seconds: float = 1.0
    live_max_seconds: float = 300.0
    live_streams_per_user: int = 8
    live_open: dict[str, int] = field(default_factory=dict)


def context(request: Request) -> StaffContext:
    ctx: StaffContext = request.app.state.staff
    return ctx


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = new_csrf_token()
    return str(token)


def current_user(request: Request, ctx: StaffContext) -> StaffUser | None:
    """The user of the cookie's server-side session, while it lives (bot/db/staff.py)."""
    key = request.session.get("session_key")
    if not isinstance(key, str):
        return None
    with ctx.reads() as session:
        user = user_of_session(session, key)
    if user is None:
        request.session.clear()
    return user


def signed_in(request: Request) -> StaffUser:
    user = current_user(request, context(request))
    if user is None:
        raise NotSignedIn
    return user


def team_of(user: StaffUser) -> str | None:
    """The team whose cases the user sees; None for an admin, who sees all."""
    return None if user.is_admin else user.team


def may_see_conversation(session: Session, user: StaffUser, conversation_id: str) -> bool:
    """Staff see a conversation only when it has a case in their team's queue."""
    from bot.db.escalations import conversations_of_team

    team = team_of(user)
    return team is None or conversation_id in conversations_of_team(session, team)


def admin(user: Annotated[StaffUser, Depends(signed_in)]) -> StaffUser:
    if not user.is_admin:
        raise Forbidden("Kun administratorer kan se denne side.")
    return user


def editor(user: Annotated[StaffUser, Depends(signed_in)]) -> StaffUser:
    if not user.may_edit_texts:
        raise Forbidden("Kun redaktører og administratorer kan rette assistentens tekster.")
    return user


async def checked_form(request: Request) -> FormData:
    """Every form carries the session's CSRF token; a post without it changes nothing."""
    form = await request.form()
    if not csrf_matches(request.session.get("csrf"), form.get("csrf_token")):  # type: ignore[arg-type]
        raise Forbidden(
            "Formularen var for gammel eller kom et andet sted fra. Gå tilbage, opdater siden og prøv igen."
        )
    return form


def audit(
    session: Session, request: Request, user: StaffUser | str, action: str, target: str = "", detail: str = ""
) -> None:
    actor = user if isinstance(user, str) else user.username
    record(session, actor, action, target, detail, client_of(request))


def page(request: Request, template: str, user: StaffUser | None, status_code: int = 200, **values: Any) -> Any:
    values |= {"user": user, "csrf_token": csrf_token(request)}
    return TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)


SignedIn = Annotated[StaffUser, Depends(signed_in)]
Admin = Annotated[StaffUser, Depends(admin)]
Editor = Annotated[StaffUser, Depends(editor)]
Ctx = Annotated[StaffContext, Depends(context)]
CheckedForm = Annotated[FormData, Depends(checked_form)]
