"""Bar charts as server-rendered SVG, without a library and without script.

Each chart is an image with a name (role="img" and a <title> it is labelled
by); the page puts a table with the same numbers beside it, which is what a
screen reader reads. Every value and label is escaped."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH = 640
BAR_AREA_HEIGHT = 160
LABEL_HEIGHT = 44
TOP = 18
LEFT = 8
BAR_COLOUR = "#00507a"  # the app's accent; 8.9:1 on white
TEXT_COLOUR = "#1b1b1b"


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, float]], *, label_every: int = 1) -> Markup:
    """Vertical bars, one per (label, value). `label_every` writes every n-th
    label under the bars (a month of days has no room for all); the value of a
    bar is written above it when there is room."""
    title_id = f"{chart_id}-title"
    height = TOP + BAR_AREA_HEIGHT + LABEL_HEIGHT
    parts = [
        f'<svg id="{escape(chart_id)}" role="img" aria-labelledby="{escape(title_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width:{WIDTH}px;background:#fff" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    if not bars:
        parts.append(f'<text x="{LEFT}" y="{TOP + 20}" fill="{TEXT_COLOUR}" font-size="14">Ingen data</text>')
        return Markup("".join(parts) + "</svg>")
    highest = max(value for _, value in bars) or 1
    slot = (WIDTH - 2 * LEFT) / len(bars)
    bar_width = max(slot * 0.7, 1.0)
    baseline = TOP + BAR_AREA_HEIGHT
    parts.append(
        f'<line x1="{LEFT}" y1="{baseline}" x2="{WIDTH - LEFT}" y2="{baseline}" stroke="{TEXT_COLOUR}" '
        'stroke-width="1"/>'
    )
    font = 12 if slot >= 24 else 10
    for index, (label, value) in enumerate(bars):
        x = LEFT + index * slot + (slot - bar_width) / 2
        bar_height = BAR_AREA_HEIGHT * value / highest
        centre = x + bar_width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{baseline - bar_height:.1f}" width="{bar_width:.1f}" '
            f'height="{bar_height:.1f}" fill="{BAR_COLOUR}"/>'
        )
        if slot >= 18 and value:
            parts.append(
                f'<text x="{centre:.1f}" y="{baseline - bar_height - 4:.1f}" text-anchor="middle" '
                f'font-size="{font}" fill="{TEXT_COLOUR}">{escape(_number(value))}</text>'
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{baseline + 16}" text-anchor="middle" font-size="{font}" '
                f'fill="{TEXT_COLOUR}">{escape(_short(label, slot * label_every))}</text>'
            )
    return Markup("".join(parts) + "</svg>")


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _short(label: str, room: float) -> str:
    """A label cut to the room under its bars (about 7 px a character)."""
    fits = max(int(room // 7), 2)
    return label if len(label) <= fits else label[: fits - 1] + "…"
