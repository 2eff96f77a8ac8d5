"""The queue of escalations, and what staff do with one: take it, answer the
citizen in their chat, add a note, close it with an outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from bot.db import escalations as repo
from bot.db.models import Escalation, EscalationStatus, StaffUser, utcnow
from bot.db.satisfaction import create_offer
from bot.rasa_client import LISTEN, PAUSE, RESUME, RasaUnavailable, bot_message
from bot.shared.cpr import mask_cpr
from bot.shared.municipality import current_municipality
from bot.staff.context import CheckedForm, Ctx, NotFound, SignedIn, StaffContext, audit, page, team_of
from bot.staff.live_marks import live_url, queue_mark
from bot.staff.messages import render
from bot.staff.satisfaction import satisfaction_offer

router = APIRouter()

STATUS_NAMES = {"new": "Ny", "claimed": "Taget", "answered": "Besvaret", "closed": "Lukket"}
REASON_NAMES = {
    "distress": "Fare eller mistrivsel",  # mistrivsel: feels bad, said it is no danger (priority high, not critical)
    "request_human": "Bad om en medarbejder",
    "concern": "Bekymring for et barn",
    "misunderstood": "Misforstået",
    "enrollment_check": "Tilmelding skal kontrolleres",
}
# A critical case (the alert) is the danger layer's: its distress is danger.
CRITICAL_REASON_NAMES = {"distress": "Fare"}
PRIORITY_NAMES = {"critical": "Kritisk", "high": "Høj", "normal": "Normal"}
MAX_MESSAGE = 2000
WIDGET_CHANNEL = "socketio"  # the satisfaction question is asked only in the widget


def waiting(escalation: Escalation, now: datetime) -> str:
    minutes = int((now - escalation.created_at).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 60 * 24:
        return f"{minutes // 60} t {minutes % 60} min"
    return f"{minutes // (60 * 24)} d {minutes // 60 % 24} t"


@router.get("/")
def queue_page(
    request: Request, user: SignedIn, ctx: Ctx, status: str = "", reason: str = "", channel: str = "", auto: str = ""
) -> Any:
    statuses = (status,) if status in STATUS_NAMES else repo.OPEN_STATUSES
    with ctx.sessions.begin() as session:
        rows = repo.queue(
            session, statuses=statuses, reason=reason or None, channel=channel or None, team=team_of(user)
        )
        channels, reasons = repo.channels_and_reasons(session)
        # The queue shows who needs help and why: every view is logged (not the
        # automatic refreshes, which repeat one view).
        if auto != "1":
            audit(
                session,
                request,
                user,
                "view_queue",
                "queue",
                ", ".join(f"{k}={v}" for k, v in {"status": status, "reason": reason, "channel": channel}.items() if v),
            )
    now = utcnow()
    # Refreshing by itself only when the staff member asks for it (WCAG 2.2.1).
    query = urlencode(
        {key: value for key, value in {"status": status, "reason": reason, "channel": channel}.items() if value}
    )
    filters = {"status": status, "reason": reason, "channel": channel}
    return page(
        request,
        "queue.html",
        user,
        live_url=live_url(view="queue", seen=queue_mark(rows), **filters),
        rows=rows,
        now=now,
        waiting=waiting,
        auto=auto == "1",
        query=query,
        filters=filters,
        channels=channels,
        reasons=reasons,
        status_names=STATUS_NAMES,
        reason_names=REASON_NAMES,
        priority_names=PRIORITY_NAMES,
    )


def _change(
    request: Request,
    ctx: StaffContext,
    user: StaffUser,
    escalation_id: int,
    action: str,
    change: Callable[[Session, Escalation], str],
) -> Any:
    """Run one change on an escalation in one transaction, audited; a refusal
    (or Rasa out of reach) changes nothing and is shown to the staff member."""
    conversation = ""
    try:
        with ctx.sessions.begin() as session:
            escalation = repo.get_escalation(session, escalation_id)
            # Another team's case is, for this staff member, no case at all.
            if escalation is None or team_of(user) not in (None, escalation.team):
                raise NotFound("Sagen findes ikke.")
            conversation = escalation.conversation_id
            detail = change(session, escalation)
            audit(session, request, user, action, f"escalation:{escalation_id} conversation:{conversation}", detail)
    except repo.EscalationStateError as error:
        return RedirectResponse(_back(conversation, error=str(error)), status_code=303)
    except RasaUnavailable:
        message = "Assistenten kunne ikke nås, så intet er ændret. Prøv igen om lidt."
        return RedirectResponse(_back(conversation, error=message), status_code=303)
    return RedirectResponse(_back(conversation), status_code=303)


def _back(conversation_id: str, error: str = "") -> str:
    query = f"?{urlencode({'fejl': error})}" if error else ""
    return f"/samtale/{quote(conversation_id, safe='')}{query}"


def _names(user: StaffUser) -> dict[str, str]:
    return {"staff_name": user.display_name, "municipality_name": current_municipality().name}


@router.post("/sag/{escalation_id}/tag")
def claim(request: Request, escalation_id: int, form: CheckedForm, user: SignedIn, ctx: Ctx) -> Any:
    """Take a case. The conditional update comes first in the transaction (of
    two staff taking it at once, exactly one gets it; bot/db/escalations.py);
    the citizen is told only by the one who got it."""
    conversation = ""
    try:
        with ctx.sessions.begin() as session:
            claimed = repo.claim(session, escalation_id, user.username, team=team_of(user))
            if claimed is None:
                raise NotFound("Sagen findes ikke.")
            escalation, taken_now = claimed
            conversation = escalation.conversation_id
            if taken_now:
                # The citizen is told, and the assistant stays quiet until staff close the case.
                ctx.rasa.append(
                    conversation, [bot_message(render("utter_staff_joined", **_names(user)), user.username), PAUSE]
                )
            audit(session, request, user, "claim", f"escalation:{escalation_id} conversation:{conversation}")
    except repo.EscalationStateError as error:
        if not conversation:
            with ctx.reads() as session:
                conversation = getattr(repo.get_escalation(session, escalation_id), "conversation_id", "")
        return RedirectResponse(_back(conversation, error=str(error)), status_code=303)
    except RasaUnavailable:
        message = "Assistenten kunne ikke nås, så intet er ændret. Prøv igen om lidt."
        return RedirectResponse(_back(conversation, error=message), status_code=303)
    return RedirectResponse(_back(conversation), status_code=303)


@router.post("/sag/{escalation_id}/svar")
def answer(request: Request, escalation_id: int, form: CheckedForm, user: SignedIn, ctx: Ctx) -> Any:
    text = mask_cpr(str(form.get("text") or "").strip())[:MAX_MESSAGE]

    def change(session: Session, escalation: Escalation) -> str:
        if not text:
            raise repo.EscalationStateError("Skriv et svar, før du sender.")
        repo.mark_answered(session, escalation, user.username)
        message = render("utter_staff_message", staff_text=text, **_names(user))
        ctx.rasa.append(escalation.conversation_id, [bot_message(message, user.username)])
        return f"{len(text)} tegn"

    return _change(request, ctx, user, escalation_id, "answer", change)


@router.post("/sag/{escalation_id}/note")
def note(request: Request, escalation_id: int, form: CheckedForm, user: SignedIn, ctx: Ctx) -> Any:
    text = mask_cpr(str(form.get("text") or "").strip())[:MAX_MESSAGE]

    def change(session: Session, escalation: Escalation) -> str:
        repo.add_note(session, escalation, user.username, text)
        return ""

    return _change(request, ctx, user, escalation_id, "note", change)


@router.post("/sag/{escalation_id}/luk")
def close(request: Request, escalation_id: int, form: CheckedForm, user: SignedIn, ctx: Ctx) -> Any:
    outcome = mask_cpr(str(form.get("outcome") or "").strip())

    def change(session: Session, escalation: Escalation) -> str:
        was_taken = escalation.status in (EscalationStatus.CLAIMED, EscalationStatus.ANSWERED)
        repo.close(session, escalation, user.username, outcome)
        if was_taken:
            # Hand the conversation back to the assistant, and tell the citizen;
            # in the widget, ask how satisfied they are (the offer is written in
            # this transaction and holds no conversation: bot/db/satisfaction.py).
            told = [bot_message(render("utter_staff_left", **_names(user)), user.username)]
            if escalation.channel == WIDGET_CHANNEL:
                nonce = create_offer(session, "staff_case", channel=escalation.channel, team=escalation.team)
                told.append(satisfaction_offer(nonce, user.username))
            ctx.rasa.append(escalation.conversation_id, [*told, RESUME, LISTEN])
        return outcome[:300]

    return _change(request, ctx, user, escalation_id, "close", change)
