"""The markdown the assistant and staff write (paragraphs, "- " lists,
**bold**, [text](url) and bare links), as the staff app shows it: every piece
of text escaped, and a link only for http(s), mailto and tel, opened with
noopener. The same rules as the widget's renderer (bot/web/static/widget.js),
so staff see a message as the citizen did."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SAFE_SCHEMES = ("https", "http", "mailto", "tel")
_INLINE = re.compile(
    r"\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\(([^\s)]+)\)"
    r"|((?:https?://|mailto:|tel:)[^\s<>()]*[^\s<>().,!?;:'\"])"
)
_ITEM = re.compile(r"^\s*[-*•]\s+(.*)$")


def _link(label: str, url: str, original: str) -> Markup:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in SAFE_SCHEMES or any(ord(char) < 32 for char in url):
        return escape(original)
    return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(url, label)


def _inline(text: str) -> Markup:
    out, last = Markup(""), 0
    for match in _INLINE.finditer(text):
        out += escape(text[last : match.start()])
        bold, label, url, bare = match.groups()
        if bold is not None:
            out += Markup("<strong>{}</strong>").format(bold)
        elif label is not None:
            out += _link(label, url, match.group(0))
        else:
            out += _link(bare, bare, bare)
        last = match.end()
    return out + escape(text[last:])


def render(text: str) -> Markup:
    parts: list[Markup] = []
    items: list[Markup] = []
    for line in text.split("\n"):
        item = _ITEM.match(line)
        if item:
            items.append(Markup("<li>{}</li>").format(_inline(item.group(1))))
            continue
        if items:
            parts.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
            items = []
        if line.strip():
            parts.append(Markup("<p>{}</p>").format(_inline(line)))
    if items:
        parts.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
    return Markup("").join(parts)
