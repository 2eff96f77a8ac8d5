"""Fingerprints of what a page shows (the queue, a conversation): the page
renders with one, and the live stream (bot/staff/live.py) sends the page
again only when it changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import urlencode

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.db import escalations as repo
from bot.db.models import Escalation
from bot.db.tracker_events import conversation_mark


def mark_of(parts: Iterable[object]) -> str:
    return hashlib.sha256(repr(list(parts)).encode()).hexdigest()[:16]


def queue_mark(rows: list[Escalation]) -> str:
    return mark_of((r.id, r.status, r.priority, r.claimed_by, r.contact_wish, r.updated_at) for r in rows)


def cases_of(session: Session, team: str | None, conversation_id: str) -> list[Escalation]:
    """A conversation's cases that this team sees (None: an admin, all)."""
    return [case for case in repo.list_by_conversation(session, conversation_id) if team in (None, case.team)]


def conversation_mark_of(tracker_engine: Engine, session: Session, team: str | None, conversation_id: str) -> str:
    cases = cases_of(session, team, conversation_id)
    events = conversation_mark(tracker_engine, conversation_id)
    return mark_of([events, *((c.id, c.status, c.claimed_by, c.priority, c.updated_at) for c in cases)])


def live_url(**query: str) -> str:
    """The stream a page listens to (the base template's data-live-url)."""
    given = {name: value for name, value in query.items() if value}
    return "/live" + (f"?{urlencode(given)}" if given else "")
