"""Server-rendered SVG charts for the narratives reports: a bar chart and a heat map.

No script, no inline style (the CSP allows neither): geometry is in SVG attributes, colour in
classes that ``static/narratives/reports.css`` fills. Each chart is ``role="img"`` with a title
and a description, and sits next to an HTML table holding the same numbers, which is what a
screen reader user reads; the chart is the quick look for everyone else.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

LABEL_WIDTH = 260
BAR_WIDTH = 360
ROW_HEIGHT = 24
CELL = 34
HEAT_LEVELS = 5
MAX_LABEL = 34


def short(label: str, limit: int = MAX_LABEL) -> str:
    """A label that fits the chart's label column; the full text is in the table beside it."""
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def heat_level(value: int, highest: int) -> int:
    """0 for nothing, else 1..HEAT_LEVELS by the share of the highest value (rounded up)."""
    if value <= 0 or highest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, -(-value * HEAT_LEVELS // highest)))


def _frame(chart_id: str, width: int, height: int, title: str, description: str) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" role="img" viewBox="0 0 {w} {h}" '
        'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
    )


def bar_chart(
    bars: Sequence[tuple[str, int, int]], *, title: str, description: str, chart_id: str
) -> SafeString:
    """Horizontal bars: ``(label, value, indent)`` per bar, indent in levels (a code tree)."""
    highest = max((value for _label, value, _indent in bars), default=0)
    height = max(ROW_HEIGHT, ROW_HEIGHT * len(bars)) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    rows = []
    for index, (label, value, indent) in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        length = round(BAR_WIDTH * value / highest) if highest else 0
        rows.append(
            format_html(
                '<g class="chart-row"><text class="chart-label" x="{lx}" y="{ty}">{label}</text>'
                '<rect class="chart-bar" x="{bx}" y="{by}" width="{bw}" height="{bh}"></rect>'
                '<text class="chart-value" x="{vx}" y="{ty}">{value}</text></g>',
                lx=4 + 12 * indent,
                ty=y + ROW_HEIGHT * 0.68,
                label=short(label, MAX_LABEL - 2 * indent),
                bx=LABEL_WIDTH,
                by=y + 3,
                bw=length,
                bh=ROW_HEIGHT - 6,
                vx=LABEL_WIDTH + length + 6,
                value=value,
            )
        )
    body = format_html_join("", "{}", ((row,) for row in rows))
    return format_html("{}{}</svg>", _frame(chart_id, width, height, title, description), body)


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    title: str,
    description: str,
    chart_id: str,
) -> SafeString:
    """A grid of cells shaded by value (classes ``heat-0`` to ``heat-5``), the number in each.

    Columns are labelled with short keys (the caller lists what each key stands for); rows with
    their (shortened) names.
    """
    highest = max((value for row in values for value in row), default=0)
    top = 26
    width = LABEL_WIDTH + CELL * max(len(columns), 1) + 8
    height = top + CELL * max(len(rows), 1) + 8
    parts = [
        format_html(
            '<text class="chart-key" x="{x}" y="{y}">{key}</text>',
            x=LABEL_WIDTH + CELL * index + CELL / 2,
            y=top - 8,
            key=short(key, 4),
        )
        for index, key in enumerate(columns)
    ]
    for r, (label, row) in enumerate(zip(rows, values, strict=True)):
        y = top + CELL * r
        parts.append(
            format_html(
                '<text class="chart-label" x="4" y="{y}">{label}</text>',
                y=y + CELL * 0.62,
                label=short(label),
            )
        )
        for c, value in enumerate(row):
            x = LABEL_WIDTH + CELL * c
            level = heat_level(value, highest)
            parts.append(
                format_html(
                    '<rect class="heat heat-{level}" x="{x}" y="{y}" width="{s}" height="{s}">'
                    "</rect>"
                    '<text class="chart-cell{strong}" x="{tx}" y="{ty}">{value}</text>',
                    level=level,
                    x=x,
                    y=y,
                    s=CELL - 2,
                    strong=" chart-cell-strong" if level >= 4 else "",
                    tx=x + (CELL - 2) / 2,
                    ty=y + CELL * 0.62,
                    value=value,
                )
            )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html("{}{}</svg>", _frame(chart_id, width, height, title, description), body)
