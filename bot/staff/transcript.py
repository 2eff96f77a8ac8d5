"""A conversation's events, as staff read them: who said what, and what the
assistant understood (intent and confidence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.shared.clock import DANISH_TIME


@dataclass(frozen=True)
class Line:
    kind: str  # "user", "bot", "staff" or "system"
    text: str
    at: datetime
    timestamp: float
    intent: str = ""
    confidence: float | None = None
    author: str = ""

    @property
    def misunderstood(self) -> bool:
        return self.intent == "nlu_fallback"


_SYSTEM = {
    "pause": "Medarbejder har overtaget samtalen (assistenten er stille)",
    "resume": "Samtalen er givet tilbage til assistenten",
}


def _question(data: dict[str, Any]) -> str:
    """The widget's satisfaction question (a custom payload with no text), named for staff."""
    custom = data.get("custom")
    inner = custom.get("data") if isinstance(custom, dict) else None
    offer = inner.get("satisfaction") if isinstance(inner, dict) else None
    question = offer.get("question") if isinstance(offer, dict) else None
    return f"[Tilfredshedsspørgsmål i chatten: {question}]" if isinstance(question, str) else ""


def _moment(event: dict[str, Any]) -> tuple[datetime, float]:
    stamp = float(event.get("timestamp") or 0)
    return datetime.fromtimestamp(stamp, tz=timezone.utc).astimezone(DANISH_TIME), stamp


def read_transcript(tracker: dict[str, Any]) -> list[Line]:
    lines: list[Line] = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        at, stamp = _moment(event)
        if kind == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            lines.append(
                Line("user", event.get("text") or "", at, stamp, intent.get("name") or "", intent.get("confidence"))
            )
        elif kind == "bot":
            staff = (event.get("metadata") or {}).get("staff")
            buttons = (event.get("data") or {}).get("buttons") or []
            text = event.get("text") or _question(event.get("data") or {})
            if buttons:
                text += "  [" + " | ".join(str(b.get("title")) for b in buttons) + "]"
            lines.append(Line("staff" if staff else "bot", text, at, stamp, author=staff or ""))
        elif kind in _SYSTEM:
            lines.append(Line("system", _SYSTEM[kind], at, stamp))
    return lines


def find_user_line(lines: list[Line], timestamp: float) -> Line | None:
    return next((line for line in lines if line.kind == "user" and abs(line.timestamp - timestamp) < 1e-6), None)
