"""The staff app's markdown: formatting kept, every piece of text escaped,
links only for http(s), mailto and tel."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.staff.markdown import render


def test_the_assistants_formatting_is_kept() -> None:
    html = str(render("Hej **Mette**\n- [Læs mere](https://www.eksempel-kommune.dk)\n- ring 70 10 20 30"))
    assert html == (
        '<p>Hej <strong>Mette</strong></p><ul><li><a href="https://www.eksempel-kommune.dk" '
        'target="_blank" rel="noopener noreferrer">Læs mere</a></li><li>ring 70 10 20 30</li></ul>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](https://a/(https://onmouseover=alert(1)//)",
        '[x](https://a.dk" onmouseover="alert(1))',
        "**<b onmouseover=alert(1)>x</b>**",
        "- <svg onload=alert(1)>",
        "[x](\tjavascript:alert(1))",
    ],
)
def test_no_markup_from_text_and_no_unsafe_link(text: str) -> None:
    class Elements(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found.append((tag, attrs))

    parser = Elements()
    parser.feed(str(render(text)))
    assert {tag for tag, _ in parser.found} <= {"p", "ul", "li", "strong", "a"}
    for _, attrs in parser.found:
        assert {name for name, _ in attrs} <= {"href", "target", "rel"}
        href = dict(attrs).get("href")
        assert href is None or href.startswith(("https:", "http:", "mailto:", "tel:"))
