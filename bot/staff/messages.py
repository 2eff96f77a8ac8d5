"""The Danish texts the staff app sends into a citizen's chat: the domain's
utter_staff_* responses (domain/handover.yml; the domain is the one place for
every text citizens read)."""

from __future__ import annotations

from bot.domain import render_response as render

__all__ = ["render"]
