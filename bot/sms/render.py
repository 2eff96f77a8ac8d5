"""The assistant's messages as texts: markdown removed, links written out,
buttons as numbered choices ("Svar 1 for Ja, 2 for Nej"), long texts split
into messages the gateway sends as concatenated SMS; and an answer by text
("2", "ja") read back as the payload of the button it names."""

from __future__ import annotations

import re
from collections.abc import Sequence

# GSM 03.38's basic characters (with æ, ø, å): 160 per single SMS, 153 per part of
# a concatenated one; anything else is sent as UCS-2: 70, 67 per part.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€")  # two septets each
MAX_PARTS = 6  # one message at most this many parts; longer text becomes more messages

STOP_WORDS = {"stop", "stop sms", "stopsms", "afmeld", "afmeld sms"}
START_WORDS = {"start", "start sms", "startsms"}

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC = re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_HEADING = re.compile(r"^#{1,6}\s*", re.MULTILINE)
_BULLET = re.compile(r"^\s*[*+]\s+", re.MULTILINE)


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2).strip()
    target = re.sub(r"^(mailto|tel):", "", url)
    if label in (url, target):
        return target
    if url.startswith("tel:") and re.sub(r"\D", "", label).endswith(re.sub(r"\D", "", target)[-8:]):
        return label  # a phone number written as its own link
    return f"{label} ({target})"


def plain(text: str) -> str:
    """Markdown to plain text, links written out."""
    text = _LINK.sub(_link, text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\2", text)
    text = _CODE.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub("- ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def choices(buttons: Sequence[tuple[str, str]]) -> str:
    if not buttons:
        return ""
    named = [f"{number} for {plain(title)}" for number, (title, _payload) in enumerate(buttons, start=1)]
    return "Svar " + (", ".join(named[:-1]) + " eller " + named[-1] if len(named) > 1 else named[0]) + "."


def render(text: str, buttons: Sequence[tuple[str, str]] = ()) -> str:
    return "\n\n".join(part for part in (plain(text or ""), choices(buttons)) if part)


def is_gsm(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def length(text: str) -> int:
    """Characters as the network counts them (an extended GSM character is two)."""
    return sum(2 if char in GSM_EXTENDED else 1 for char in text) if is_gsm(text) else len(text)


def parts(text: str) -> int:
    """How many SMS the text is sent as."""
    single, part = (160, 153) if is_gsm(text) else (70, 67)
    size = length(text)
    return 1 if size <= single else -(-size // part)


def split(text: str, max_parts: int = MAX_PARTS) -> list[str]:
    """The text as messages of at most `max_parts` parts each, cut between
    paragraphs, else sentences, else words."""
    limit = (153 if is_gsm(text) else 67) * max_parts
    messages: list[str] = []
    rest = text.strip()
    while length(rest) > limit:
        window = rest[:limit]
        while length(window) > limit:
            window = window[:-1]
        cut = max(window.rfind("\n\n"), -1)
        if cut < limit // 3:
            cut = max(window.rfind(". "), window.rfind("\n")) + 1
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = len(window)
        messages.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        messages.append(rest)
    return messages


def _word(text: str) -> str:
    return re.sub(r"[\s.!?,]+$", "", text.strip().casefold())


def answered_payload(answer: str, offered: Sequence[tuple[str, str]]) -> str | None:
    """The payload of the offered button the answer names: its number, or its title ("ja", "nej")."""
    word = _word(answer)
    if word.isdigit() and 1 <= int(word) <= len(offered):
        return offered[int(word) - 1][1]
    for title, payload in offered:
        if word and word == _word(plain(title)):
            return payload
    return None


def is_stop(text: str) -> bool:
    return _word(text) in STOP_WORDS


def is_start(text: str) -> bool:
    return _word(text) in START_WORDS
