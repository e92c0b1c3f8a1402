"""Charts of a person's measures, drawn on the server as SVG: no script, no CDN, no inline style.

Two kinds, both pure functions of plain data (no models, no queries):

- ``trend_chart``: one or more scores over time, on a y-axis with the instrument's interpretation
  bands shaded behind them (each band labelled in words), and reliable-change markers drawn as a
  triangle with a word beside it, so a change never rests on colour alone;
- ``chime_radar``: the five CHIME processes on five axes, two dates compared; the two dates
  differ in line pattern and point shape as well as colour.

Each returns a ``Chart``: the SVG (``role="img"``, labelled by its ``<title>`` and ``<desc>``) and a
``DataTable`` with the same numbers, which the page shows as the accessible alternative. Every
point drawn is one row of the table. Colours come from classes styled in
``measures/static/measures/measures.css`` (the CSP forbids ``style`` attributes). Text is escaped by
ElementTree, so labels written by anyone are safe in the SVG.
"""

from __future__ import annotations

import functools
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

SVG_NS = "http://www.w3.org/2000/svg"


class Change(StrEnum):
    """A reliable change at a point, compared with the point before it."""

    BETTER = "better"
    WORSE = "worse"


@dataclass(frozen=True)
class Band:
    """An interpretation band: scores from ``low`` to ``high`` mean ``label``."""

    low: float
    high: float
    label: str
    # A class suffix: ``band-<tone>``. Tones in the stylesheet: low, mid, high, neutral.
    tone: str = "neutral"


@dataclass(frozen=True)
class Point:
    when: date
    value: float
    change: Change | None = None


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[Point]


@dataclass(frozen=True)
class DataTable:
    """The chart's numbers as a table: ``rows[i][0]`` is the row header."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]

    @property
    def body(self) -> SafeString:
        """The rows as HTML (each text escaped), the first cell a row header: built in Python,
        since a page of many charts spends most of its time in a template loop over cells."""
        escape = conditional_escape
        return mark_safe(  # every cell escaped below
            "".join(
                f'<tr><th scope="row">{escape(row[0])}</th>'
                + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
                + "</tr>"
                for row in self.rows
            )
        )


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString
    table: DataTable
    legend: Sequence[tuple[str, str]] = field(default_factory=tuple)
    # How big a change must be to be marked, and on what basis (see ``reliable``).
    note: str = ""


def format_number(value: float) -> str:
    """Whole numbers without decimals, others with one, in the reader's locale."""
    return _format_number(float(value), get_language())


@functools.lru_cache(maxsize=8192)
def _format_number(value: float, language: str | None) -> str:
    # Remembered per language: the locale's separators are the only other input, and they are
    # settings. A dashboard formats thousands of numbers, many of them the same.
    if value.is_integer():
        return number_format(int(value))
    return number_format(round(value, 1), decimal_pos=1)


def format_day(when: date) -> str:
    return date_format(when, "SHORT_DATE_FORMAT")


def change_text(change: Change | None, changed_by: float | None = None) -> str:
    """The words beside a change marker. ``changed_by`` is a chosen threshold that claims nothing
    about chance (see ``reliable``): then the words say only how big the change was."""
    if changed_by is not None:
        points = format_number(changed_by)
        if change is Change.BETTER:
            return _("Better by %(points)s or more") % {"points": points}
        if change is Change.WORSE:
            return _("Worse by %(points)s or more") % {"points": points}
        return ""
    if change is Change.BETTER:
        return _("Reliably better")
    if change is Change.WORSE:
        return _("Reliably worse")
    return ""


def nice_ticks(low: float, high: float, *, most: int = 6) -> list[float]:
    """Round tick values from ``low`` to ``high`` (both included when they are round)."""
    span = high - low
    if span <= 0:
        return [low]
    step = span
    for magnitude in (0.1, 1, 10, 100, 1000):
        found = next(
            (m * magnitude for m in (1, 2, 2.5, 5) if span / (m * magnitude) <= most - 1), None
        )
        if found is not None:
            step = found
            break
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _element(
    parent: ET.Element, tag: str, text: str | None = None, **attributes: str
) -> ET.Element:
    child = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()}
    )
    if text is not None:
        child.text = text
    return child


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_root(chart_id: str, title: str, description: str, width: int, height: int) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart",
            "id": chart_id,
            "focusable": "false",
        },
    )
    _element(root, "title", title, id=f"{chart_id}-title")
    _element(root, "desc", description, id=f"{chart_id}-desc")
    return root


def _serialise(root: ET.Element) -> SafeString:
    # ElementTree escapes every text and attribute value it writes.
    return mark_safe(ET.tostring(root, encoding="unicode", short_empty_elements=True))


def _triangle(x: float, y: float, size: float, *, up: bool) -> str:
    tip = y - size if up else y + size
    base = y + size * 0.8 if up else y - size * 0.8
    return f"{_num(x)},{_num(tip)} {_num(x - size)},{_num(base)} {_num(x + size)},{_num(base)}"


def trend_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    bands: Sequence[Band] = (),
    y_label: str = "",
    width: int = 400,
    height: int = 280,
    changed_by: float | None = None,
    note: str = "",
) -> Chart:
    """Scores over time. Dates are spaced by time, not by count, so a long gap looks long."""
    left, right, top, bottom = 44.0, 16.0, 16.0, 52.0
    plot_w, plot_h = width - left - right, height - top - bottom
    points = [p for s in series for p in s.points]
    days = sorted({p.when for p in points})
    first_day, last_day = (days[0], days[-1]) if days else (date.min, date.min)
    span_days = (last_day - first_day).days

    def x_of(when: date) -> float:
        if span_days == 0:
            return left + plot_w / 2
        return left + plot_w * (when - first_day).days / span_days

    def y_of(value: float) -> float:
        clamped = min(max(value, y_min), y_max)
        return top + plot_h * (1 - (clamped - y_min) / ((y_max - y_min) or 1))

    description = _trend_description(series, bands, changed_by)
    root = _svg_root(chart_id, title, description, width, height)

    bands_group = _element(root, "g", class_="bands")
    for band in bands:
        y_top, y_bottom = y_of(band.high), y_of(band.low)
        _element(
            bands_group,
            "rect",
            class_=f"band band-{band.tone}",
            x=_num(left),
            y=_num(y_top),
            width=_num(plot_w),
            height=_num(max(y_bottom - y_top, 0)),
        )
        _element(
            bands_group,
            "text",
            band.label,
            class_="band-label",
            x=_num(left + plot_w - 4),
            y=_num(y_top + 13),
            text_anchor="end",
        )

    axis = _element(root, "g", class_="axis")
    for tick in nice_ticks(y_min, y_max):
        y = y_of(tick)
        _element(
            axis,
            "line",
            class_="grid",
            x1=_num(left),
            x2=_num(left + plot_w),
            y1=_num(y),
            y2=_num(y),
        )
        _element(
            axis, "text", format_number(tick), x=_num(left - 6), y=_num(y + 4), text_anchor="end"
        )
    _element(
        axis,
        "line",
        class_="axis-line",
        x1=_num(left),
        x2=_num(left),
        y1=_num(top),
        y2=_num(top + plot_h),
    )
    _element(
        axis,
        "line",
        class_="axis-line",
        x1=_num(left),
        x2=_num(left + plot_w),
        y1=_num(top + plot_h),
        y2=_num(top + plot_h),
    )
    for when in _date_ticks(days):
        x = x_of(when)
        # Labels at the plot's edges are anchored inwards, so they are never cut off.
        anchor = "start" if x - left < 40 else ("end" if left + plot_w - x < 40 else "middle")
        if anchor == "start":
            x = max(x - 20, 4)
        _element(
            axis,
            "text",
            format_day(when),
            x=_num(x),
            y=_num(top + plot_h + 18),
            text_anchor=anchor,
        )
    if y_label:
        _element(
            axis,
            "text",
            y_label,
            class_="axis-label",
            x=_num(left),
            y=_num(height - 8),
            text_anchor="start",
        )

    for index, one in enumerate(series):
        group = _element(root, "g", class_=f"series series-{index % 6}")
        ordered = sorted(one.points, key=lambda p: p.when)
        if len(ordered) > 1:
            _element(
                group,
                "polyline",
                class_="series-line",
                points=" ".join(f"{_num(x_of(p.when))},{_num(y_of(p.value))}" for p in ordered),
            )
        for point in ordered:
            x, y = x_of(point.when), y_of(point.value)
            _element(group, "circle", class_="point", cx=_num(x), cy=_num(y), r="4")
            if point.change is not None:
                better = point.change is Change.BETTER
                marker = _element(group, "g", class_=f"change change-{point.change.value}")
                _element(
                    marker,
                    "polygon",
                    points=_triangle(x, y - 12 if better else y + 12, 6, up=better),
                )
                # Words near an edge run inwards from the marker, never off the picture.
                anchor = "middle"
                text_x = x
                if x > left + plot_w - 60:
                    anchor, text_x = "end", min(x + 8, width - 2)
                elif x < left + 60:
                    anchor, text_x = "start", max(x - 8, 2)
                _element(
                    marker,
                    "text",
                    change_text(point.change, changed_by),
                    x=_num(text_x),
                    y=_num(y - 22 if better else y + 30),
                    text_anchor=anchor,
                )

    legend = [(f"series series-{i % 6}", s.label) for i, s in enumerate(series)]
    if any(p.change is Change.BETTER for p in points):
        legend.append(
            (
                "change change-better",
                _("Triangle pointing up: %(words)s")
                % {"words": change_text(Change.BETTER, changed_by).lower()},
            )
        )
    if any(p.change is Change.WORSE for p in points):
        legend.append(
            (
                "change change-worse",
                _("Triangle pointing down: %(words)s")
                % {"words": change_text(Change.WORSE, changed_by).lower()},
            )
        )
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=_serialise(root),
        table=_trend_table(title, series, bands, changed_by),
        legend=legend,
        note=note,
    )


def _date_ticks(days: list[date], most: int = 4) -> list[date]:
    if len(days) <= most:
        return days
    step = (len(days) - 1) / (most - 1)
    return [days[round(i * step)] for i in range(most)]


def band_for(value: float, bands: Sequence[Band]) -> Band | None:
    """The band a score falls in (the upper band wins on a shared edge)."""
    found = None
    for band in sorted(bands, key=lambda b: b.low):
        if band.low <= value <= band.high:
            found = band
    return found


def _trend_description(
    series: Sequence[Series], bands: Sequence[Band], changed_by: float | None = None
) -> str:
    parts = []
    for one in series:
        ordered = sorted(one.points, key=lambda p: p.when)
        if not ordered:
            continue
        last = ordered[-1]
        parts.append(
            _("%(label)s: %(count)s answers, the latest %(value)s on %(day)s.")
            % {
                "label": one.label,
                "count": len(ordered),
                "value": format_number(last.value),
                "day": format_day(last.when),
            }
        )
    changes = sum(1 for one in series for p in one.points if p.change is not None)
    if changes and changed_by is not None:
        parts.append(
            _("Changes of %(points)s points or more are marked with a triangle and words.")
            % {"points": format_number(changed_by)}
        )
    elif changes:
        parts.append(_("Reliable changes are marked with a triangle and words."))
    if bands:
        parts.append(_("Shaded bands show what the scores mean."))
    return " ".join(parts) or _("No answers yet.")


def _trend_table(
    title: str, series: Sequence[Series], bands: Sequence[Band], changed_by: float | None = None
) -> DataTable:
    multi = len(series) > 1
    columns = [_("Date")]
    if multi:
        columns.append(_("Score"))
    columns.append(_("Value"))
    if bands:
        columns.append(_("Meaning"))
    columns.append(_("Reliable change") if changed_by is None else _("Change"))
    rows: list[list[str]] = []
    for one in series:
        for point in sorted(one.points, key=lambda p: p.when):
            band = band_for(point.value, bands)
            row = [format_day(point.when)]
            if multi:
                row.append(one.label)
            row.append(format_number(point.value))
            if bands:
                row.append(band.label if band else "")
            row.append(change_text(point.change, changed_by))
            rows.append(row)
    return DataTable(caption=title, columns=columns, rows=rows)


@dataclass(frozen=True)
class Axis:
    code: str
    label: str


@dataclass(frozen=True)
class Snapshot:
    """One date's values on the radar, by axis code."""

    when: date
    values: dict[str, float]


def chime_radar(
    *,
    chart_id: str,
    title: str,
    axes: Sequence[Axis],
    first: Snapshot,
    second: Snapshot,
    max_value: float,
    min_value: float = 0,
    size: int = 360,
) -> Chart:
    """Five (or any number of) axes, two dates. The earlier date is dashed with square points;
    the later is solid with round points, and filled."""
    # Room either side for the axis labels, which run outwards from the chart.
    margin = 90
    centre_x, centre = size / 2 + margin, size / 2
    radius = size / 2 - 60
    count = len(axes)

    def at(index: int, value: float) -> tuple[float, float]:
        fraction = (min(max(value, min_value), max_value) - min_value) / (
            (max_value - min_value) or 1
        )
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return centre_x + radius * fraction * math.cos(
            angle
        ), centre + radius * fraction * math.sin(angle)

    description = _(
        "%(first)s and %(second)s compared on %(count)s recovery processes, from %(low)s at the "
        "centre to %(high)s at the edge."
    ) % {
        "first": format_day(first.when),
        "second": format_day(second.when),
        "count": count,
        "low": format_number(min_value),
        "high": format_number(max_value),
    }
    root = _svg_root(chart_id, title, description, size + 2 * margin, size)
    grid = _element(root, "g", class_="axis")
    for tick in nice_ticks(min_value, max_value, most=5)[1:]:
        ring = " ".join(f"{_num(x)},{_num(y)}" for x, y in (at(i, tick) for i in range(count)))
        _element(grid, "polygon", class_="grid", points=ring)
    for index, axis in enumerate(axes):
        x, y = at(index, max_value)
        _element(
            grid,
            "line",
            class_="axis-line",
            x1=_num(centre_x),
            y1=_num(centre),
            x2=_num(x),
            y2=_num(y),
        )
        lx, ly = centre_x + (x - centre_x) * 1.12, centre + (y - centre) * 1.15
        anchor = "middle" if abs(lx - centre_x) < 10 else ("start" if lx > centre_x else "end")
        _element(
            grid,
            "text",
            axis.label,
            class_="axis-label",
            x=_num(lx),
            y=_num(ly + 4),
            text_anchor=anchor,
        )

    for name, snapshot in (("first", first), ("second", second)):
        group = _element(root, "g", class_=f"radar radar-{name}")
        corners = [at(i, snapshot.values.get(axis.code, min_value)) for i, axis in enumerate(axes)]
        _element(
            group,
            "polygon",
            class_="radar-area",
            points=" ".join(f"{_num(x)},{_num(y)}" for x, y in corners),
        )
        for x, y in corners:
            if name == "first":
                _element(
                    group,
                    "rect",
                    class_="point",
                    x=_num(x - 4),
                    y=_num(y - 4),
                    width="8",
                    height="8",
                )
            else:
                _element(group, "circle", class_="point", cx=_num(x), cy=_num(y), r="4.5")

    legend = [
        (
            "radar radar-first",
            _("%(day)s: dashed line, square points") % {"day": format_day(first.when)},
        ),
        (
            "radar radar-second",
            _("%(day)s: solid line, round points") % {"day": format_day(second.when)},
        ),
    ]
    rows = []
    for axis in axes:
        before, after = first.values.get(axis.code), second.values.get(axis.code)
        difference = "" if before is None or after is None else _signed(after - before)
        rows.append(
            [
                axis.label,
                "" if before is None else format_number(before),
                "" if after is None else format_number(after),
                difference,
            ]
        )
    table = DataTable(
        caption=title,
        columns=[
            _("Recovery process"),
            format_day(first.when),
            format_day(second.when),
            _("Change"),
        ],
        rows=rows,
    )
    return Chart(chart_id, title, description, _serialise(root), table, legend)


def _signed(value: float) -> str:
    if value > 0:
        return f"+{format_number(value)}"
    if value < 0:
        return f"-{format_number(-value)}"
    return format_number(0)
