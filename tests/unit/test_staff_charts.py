"""The dashboard's SVG bar charts (bot/staff/charts.py) and its CSV cells
(bot/staff/dashboard.py): named images, escaped labels, no formulas."""

from __future__ import annotations

from datetime import date

import pytest

from bot.staff.charts import bar_chart
from bot.staff.dashboard import PeriodError, parse_period, safe_cell


def test_a_chart_is_a_named_image_with_one_bar_per_value() -> None:
    svg = str(bar_chart("graf", "Samtaler pr. dag", [("01.11", 2), ("02.11", 0), ("03.11", 4)]))
    assert svg.startswith('<svg id="graf" role="img" aria-labelledby="graf-title"')
    assert '<title id="graf-title">Samtaler pr. dag</title>' in svg
    assert svg.count("<rect") == 3 and 'height="160.0"' in svg and 'height="80.0"' in svg
    assert ">4</text>" in svg and ">0</text>" not in svg  # an empty bar gets no number


def test_labels_and_titles_are_escaped() -> None:
    svg = str(bar_chart("x", "<b>titel</b>", [('<script>alert("x")</script>', 1)]))
    assert "<script>" not in svg and "<b>" not in svg and "&lt;b&gt;titel" in svg


def test_no_data_says_so() -> None:
    svg = str(bar_chart("tom", "Tilbud", []))
    assert "Ingen data" in svg and "<rect" not in svg


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+45 20 00 00 01", "'+45 20 00 00 01"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("kan i ringe", "kan i ringe"),
        (-3, -3),
        (7.5, 7.5),
    ],
)
def test_csv_cells_are_never_formulas(cell: object, safe: object) -> None:
    assert safe_cell(cell) == safe


def test_the_period_defaults_and_its_limits() -> None:
    today = date(2026, 12, 6)
    assert (parse_period("", "", today).first, parse_period("", "", today).last) == (date(2026, 11, 7), today)
    assert parse_period("2026-12-01", "", today).last == today
    assert parse_period("", "2026-11-30", today).first == date(2026, 11, 1)
    assert len(parse_period("2025-12-06", "2026-12-06", today).days) == 366
    with pytest.raises(PeriodError, match="højst 366 dage"):
        parse_period("2025-12-05", "2026-12-06", today)
    with pytest.raises(PeriodError, match="Fra-datoen skal være"):
        parse_period("2026-2-1", "2026-12-06", today)
