"""The live staff app: one server-sent event stream per open page (GET /live),
behind login and scoped to the staff member's team like every other page.

It looks at the database about once a second and sends
- `queue`: the queue's table again when the team's queue changed (the queue page),
- `conversation`: the transcript and the cases' status lines again when the
  conversation changed (the conversation page),
- `alert`: a new critical case of the team (every page): the page shows it in
  its role="alert" region, plays a short sound and shows a browser
  notification when staff allowed them (static/live.js).

The pages work as before without JavaScript (links to refresh). A stream
ends after live_max_seconds or when its session ends (logout, account
closed); the browser then reconnects with the last event id, so no alert is
lost in between and a signed-out browser gets the login redirect."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bot.db import escalations as repo
from bot.db.audit import record
from bot.db.models import Escalation, utcnow
from bot.db.review import TAGS, tags_of
from bot.db.staff import user_of_session
from bot.rasa_client import RasaUnavailable
from bot.staff.cases import CRITICAL_REASON_NAMES, PRIORITY_NAMES, REASON_NAMES, STATUS_NAMES, waiting
from bot.staff.context import (
    TEMPLATES,
    Ctx,
    NotFound,
    SignedIn,
    StaffContext,
    csrf_token,
    may_see_conversation,
    team_of,
)
from bot.staff.live_marks import cases_of, conversation_mark_of, queue_mark
from bot.staff.transcript import read_transcript

router = APIRouter()

LIVE_SCRIPT = Path(__file__).resolve().parent / "static" / "live.js"
RETRY_MS = 2000
NAMES = {"status_names": STATUS_NAMES, "reason_names": REASON_NAMES, "priority_names": PRIORITY_NAMES}


def queue_rows(session: Session, team: str | None, status: str, reason: str, channel: str) -> list[Escalation]:
    statuses = (status,) if status in STATUS_NAMES else repo.OPEN_STATUSES
    return repo.queue(session, statuses=statuses, reason=reason or None, channel=channel or None, team=team)


@dataclass
class Watch:
    """What one stream watches, and what it has sent so far."""

    session_key: str
    username: str
    team: str | None
    csrf: str
    queue: dict[str, str] | None  # the queue page's filters, or None
    conversation: str | None
    queue_seen: str = ""
    conversation_seen: str = ""
    known: set[int] = field(default_factory=set)
    audited: bool = False


def event(name: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def look(ctx: StaffContext, watch: Watch) -> list[str] | None:
    """One look at the database: the events to send, or None when the session has ended."""
    out: list[str] = []
    with ctx.reads() as session:
        user = user_of_session(session, watch.session_key)
        if user is None or user.username != watch.username:
            return None
        fresh = [case for case in repo.critical_new(session, watch.team) if case.id not in watch.known]
        for case in fresh:
            watch.known.add(case.id)
            reason = CRITICAL_REASON_NAMES.get(case.reason) or REASON_NAMES.get(case.reason, case.reason)
            alert = {"id": case.id, "reason": reason, "href": f"/samtale/{quote(case.conversation_id, safe='')}"}
            out.append(event("alert", alert, max(watch.known)))
        if watch.queue is not None:
            rows = queue_rows(session, watch.team, **watch.queue)
            mark = queue_mark(rows)
            if mark != watch.queue_seen:
                html = TEMPLATES.get_template("_queue_table.html").render(
                    rows=rows, now=utcnow(), waiting=waiting, **NAMES
                )
                out.append(event("queue", {"html": html}))
                watch.queue_seen = mark
    if watch.conversation is not None:
        out += look_at_conversation(ctx, watch, watch.conversation)
    return out


def look_at_conversation(ctx: StaffContext, watch: Watch, conversation_id: str) -> list[str]:
    with ctx.sessions.begin() as session:
        mark = conversation_mark_of(ctx.tracker_engine, session, watch.team, conversation_id)
        if mark == watch.conversation_seen:
            return []
        try:
            lines = read_transcript(ctx.rasa.tracker(conversation_id))
        except RasaUnavailable:
            return []  # tried again on the next look
        tags = {round(tag.message_at, 6): tag for tag in tags_of(session, conversation_id)}
        values = {"lines": lines, "tags": tags, "tag_names": TAGS, "conversation_id": conversation_id}
        transcript = TEMPLATES.get_template("_transcript.html").render(csrf_token=watch.csrf, **values)
        status = TEMPLATES.get_template("_case_status.html")
        cases = {
            str(case.id): status.render(case=case, **NAMES) for case in cases_of(session, watch.team, conversation_id)
        }
        if not watch.audited:
            # The stream shows the transcript: a view like the page's, logged once per connection.
            record(session, watch.username, "view_transcript", f"conversation:{conversation_id}", "live", "")
            watch.audited = True
    watch.conversation_seen = mark
    return [event("conversation", {"transcript": transcript, "cases": cases})]


def start_watch(ctx: StaffContext, request: Request, user: Any, watch: Watch, last_event_id: int | None) -> None:
    """What the stream takes as already seen: the critical cases up to the last event id the
    browser got (on a reconnect), or all open ones (a new page, which shows them)."""
    with ctx.reads() as session:
        if watch.conversation is not None and not may_see_conversation(session, user, watch.conversation):
            raise NotFound("Samtalen findes ikke.")
        for case in repo.critical_new(session, watch.team):
            if last_event_id is None or case.id <= last_event_id:
                watch.known.add(case.id)


@router.get("/live.js")
def live_script(user: SignedIn) -> Response:
    return FileResponse(LIVE_SCRIPT, media_type="text/javascript; charset=utf-8")


@router.get("/live")
async def live(
    request: Request,
    user: SignedIn,
    ctx: Ctx,
    view: str = "",
    status: str = "",
    reason: str = "",
    channel: str = "",
    samtale: str = "",
    seen: str = "",
) -> Response:
    key = request.session.get("session_key")
    open_now = ctx.live_open.get(user.username, 0)
    if open_now >= ctx.live_streams_per_user or not isinstance(key, str):
        return Response("For mange åbne sider.", status_code=429, media_type="text/plain; charset=utf-8")
    watch = Watch(
        session_key=key,
        username=user.username,
        team=team_of(user),
        csrf=csrf_token(request),
        queue={"status": status, "reason": reason, "channel": channel} if view == "queue" else None,
        conversation=samtale[:255] or None,
        queue_seen=seen[:16] if view == "queue" else "",
        conversation_seen=seen[:16] if samtale else "",
    )
    given = request.headers.get("last-event-id", "")
    last_event_id = int(given) if given.isdigit() and len(given) < 12 else None
    await run_in_threadpool(start_watch, ctx, request, user, watch, last_event_id)
    return StreamingResponse(
        stream(ctx, request, watch, last_event_id or 0),
        media_type="text/event-stream",
        headers={"X-Accel-Buffering": "no"},  # a proxy in front must pass each event at once
    )


async def stream(ctx: StaffContext, request: Request, watch: Watch, last_event_id: int) -> AsyncIterator[str]:
    # Counted here, where the finally below is sure to run, not before the stream starts.
    ctx.live_open[watch.username] = ctx.live_open.get(watch.username, 0) + 1
    try:
        # The id the browser sends back when it reconnects: what it has been told about.
        yield f"retry: {RETRY_MS}\n" + event("ready", {}, max(watch.known | {last_event_id}))
        deadline = time.monotonic() + ctx.live_max_seconds
        while time.monotonic() < deadline and not await request.is_disconnected():
            events = await run_in_threadpool(look, ctx, watch)
            if events is None:
                yield event("signed_out", {})
                return
            for item in events:
                yield item
            await asyncio.sleep(ctx.live_poll_seconds)
    finally:
        ctx.live_open[watch.username] = max(0, ctx.live_open.get(watch.username, 1) - 1)
