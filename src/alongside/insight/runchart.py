"""Run charts: an indicator month by month around its median, with the usual signals flagged.

The rules (``analyse``), on the points shown (suppressed months are gaps and take no part):

- **shift**: 6 or more points in a row on the same side of the median; points on the median
  neither break nor extend a shift;
- **trend**: 5 or more points in a row each going up, or each going down; a point equal to the one
  before it is skipped;
- **runs**: a run is a series of points on one side of the median. Too few runs (too few
  crossings of the median) or too many signal a non-random pattern. The limits come from the
  binomial distribution of crossings, as in Anhøj's rules: with ``n`` useful points the
  crossings of a random process follow Binomial(n - 1, 1/2); fewer than its 5th percentile
  is too few, more than the mirror of that limit too many. Judged only with 10 or more useful
  points.

``run_chart`` draws the SVG on the server (no script, no inline style; classes in
``insight/static/insight/insight.css``) and returns it with the same numbers as a data table.
"""

from __future__ import annotations

import functools
import itertools
import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alongside.measures.charts import Chart, DataTable, format_number, nice_ticks

SVG_NS = "http://www.w3.org/2000/svg"
SHIFT = 6
TREND = 5
RUNS_FROM = 10


@dataclass(frozen=True)
class Analysis:
    median: float | None
    shift_points: frozenset[int] = frozenset()
    trend_points: frozenset[int] = frozenset()
    runs: int = 0
    useful: int = 0
    runs_low: int | None = None  # fewest runs that is still random
    runs_high: int | None = None  # most runs that is still random

    @property
    def too_few_runs(self) -> bool:
        return self.runs_low is not None and self.runs < self.runs_low

    @property
    def too_many_runs(self) -> bool:
        return self.runs_high is not None and self.runs > self.runs_high

    @property
    def signals(self) -> bool:
        return bool(
            self.shift_points or self.trend_points or self.too_few_runs or self.too_many_runs
        )


def crossings_limit(useful: int) -> int:
    """The fewest crossings of the median a random series of ``useful`` points shows (5%)."""
    trials = useful - 1
    cumulative = 0.0
    for crossings in range(trials + 1):
        cumulative += math.comb(trials, crossings) / 2**trials
        if cumulative >= 0.05:
            return crossings
    return trials


def analyse(values: Sequence[float]) -> Analysis:
    if not values:
        return Analysis(None)
    median = statistics.median(values)
    sides = [(i, 1 if v > median else -1) for i, v in enumerate(values) if v != median]

    shift_points: set[int] = set()
    streak: list[int] = []
    for position, (index, side) in enumerate(sides):
        if streak and sides[position - 1][1] != side:
            streak = []
        streak.append(index)
        if len(streak) >= SHIFT:
            shift_points.update(streak)

    trend_points: set[int] = set()
    kept = [i for i in range(len(values)) if i == 0 or values[i] != values[i - 1]]
    trend: list[int] = kept[:1]
    direction = 0
    for before, after in itertools.pairwise(kept):
        sign = 1 if values[after] > values[before] else -1
        if sign == direction:
            trend.append(after)
        else:
            trend, direction = [before, after], sign
        if len(trend) >= TREND:
            trend_points.update(range(trend[0], trend[-1] + 1))

    useful = len(sides)
    runs = 0
    previous = 0
    for _index, side in sides:
        if side != previous:
            runs += 1
            previous = side
    runs_low = runs_high = None
    if useful >= RUNS_FROM:
        limit = crossings_limit(useful)
        runs_low = limit + 1
        runs_high = (useful - 1 - limit) + 1
    return Analysis(
        median,
        frozenset(shift_points),
        frozenset(trend_points),
        runs,
        useful,
        runs_low,
        runs_high,
    )


@dataclass(frozen=True)
class RunPoint:
    period: date
    value: float | None  # None: suppressed or no denominator; drawn as a gap
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Annotation:
    period: date
    label: str


@dataclass(frozen=True)
class RunChart:
    chart: Chart
    analysis: Analysis
    notes: list[str] = field(default_factory=list)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    )
    if text is not None:
        child.text = text
    return child


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def month_label(period: date) -> str:
    return _month_label(period, get_language())


@functools.lru_cache(maxsize=1024)
def _month_label(period: date, language: str | None) -> str:
    # Remembered per language (the format is a setting of the locale): a dashboard labels the
    # same 24 months in every chart and table.
    return date_format(period, "YEAR_MONTH_FORMAT")


def run_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[RunPoint],
    unit_label: str,
    annotations: Sequence[Annotation] = (),
    width: int = 480,
    height: int = 260,
) -> RunChart:
    shown = [(i, p.value) for i, p in enumerate(points) if p.value is not None]
    analysis = analyse([v for _i, v in shown])
    flagged_shift = {shown[k][0] for k in analysis.shift_points}
    flagged_trend = {shown[k][0] for k in analysis.trend_points}

    notes: list[str] = []
    if analysis.shift_points:
        notes.append(_("Shift: 6 or more months in a row on one side of the median."))
    if analysis.trend_points:
        notes.append(_("Trend: 5 or more months in a row going the same way."))
    if analysis.too_few_runs:
        notes.append(_("Too few runs: the line crosses its median less often than chance would."))
    if analysis.too_many_runs:
        notes.append(_("Too many runs: the line crosses its median more often than chance would."))

    values = [v for _i, v in shown]
    high = max([*values, 1.0])
    ticks = nice_ticks(0, high * 1.1)
    y_max = ticks[-1] if ticks else high
    left, right, top, bottom = 48.0, 16.0, 16.0, 48.0
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(points), 1)

    def x_of(index: int) -> float:
        return left + (plot_w * (index + 0.5) / count)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / (y_max or 1))

    if analysis.median is None:
        description = _("No months with figures that can be shown yet.")
    else:
        description = _("%(count)s months shown; median %(median)s %(unit)s.") % {
            "count": len(values),
            "median": format_number(analysis.median),
            "unit": unit_label,
        }
        if notes:
            description += " " + " ".join(notes)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart run-chart",
            "id": chart_id,
            "focusable": "false",
        },
    )
    _el(root, "title", title, id=f"{chart_id}-title")
    _el(root, "desc", description, id=f"{chart_id}-desc")
    axis = _el(root, "g", class_="axis")
    for tick in ticks:
        y = _n(y_of(tick))
        _el(axis, "line", x1=_n(left), x2=_n(width - right), y1=y, y2=y, class_="grid")
        _el(
            axis,
            "text",
            format_number(tick),
            x=_n(left - 6),
            y=y,
            text_anchor="end",
            dominant_baseline="middle",
        )
    step = max(1, math.ceil(len(points) / 6))
    for index, point in enumerate(points):
        if index % step == 0 or index == len(points) - 1:
            _el(
                axis,
                "text",
                month_label(point.period),
                x=_n(x_of(index)),
                y=_n(height - bottom + 18),
                text_anchor="middle",
            )
    if analysis.median is not None:
        y = _n(y_of(analysis.median))
        _el(root, "line", x1=_n(left), x2=_n(width - right), y1=y, y2=y, class_="median")
        _el(
            root,
            "text",
            _("median"),
            x=_n(width - right),
            y=_n(y_of(analysis.median) - 4),
            text_anchor="end",
            class_="median-label",
        )
    for annotation in annotations:
        at = next((i for i, p in enumerate(points) if p.period == annotation.period), None)
        if at is None:
            continue
        x_text = _n(x_of(at))
        mark = _el(root, "g", class_="annotation")
        _el(
            mark,
            "line",
            x1=x_text,
            x2=x_text,
            y1=_n(top),
            y2=_n(height - bottom),
            class_="annotation-line",
        )
        _el(mark, "text", annotation.label, x=x_text, y=_n(top + 10), class_="annotation-label")
    series = _el(root, "g", class_="series series-0")
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, point in enumerate(points):
        if point.value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{_n(x_of(index))},{_n(y_of(point.value))}")
    if segment:
        segments.append(segment)
    for part in segments:
        _el(series, "polyline", points=" ".join(part), class_="series-line")
    for index, point in enumerate(points):
        if point.value is None:
            continue
        px, py = x_of(index), y_of(point.value)
        signal = index in flagged_shift or index in flagged_trend
        if signal:
            _el(
                series,
                "rect",
                x=_n(px - 5),
                y=_n(py - 5),
                width="10",
                height="10",
                class_="point signal",
            )
        else:
            _el(series, "circle", cx=_n(px), cy=_n(py), r="4", class_="point")

    def signal_text(index: int) -> str:
        words = []
        if index in flagged_shift:
            words.append(_("shift"))
        if index in flagged_trend:
            words.append(_("trend"))
        return ", ".join(words)

    rows = [
        [
            month_label(point.period),
            point.numerator,
            point.denominator,
            _("hidden") if point.value is None else format_number(point.value),
            signal_text(index),
        ]
        for index, point in enumerate(points)
    ]
    table = DataTable(
        caption=title,
        columns=[_("Month"), _("Numerator"), _("Denominator"), unit_label, _("Signal")],
        rows=rows,
    )
    svg = mark_safe(ET.tostring(root, encoding="unicode", short_empty_elements=True))
    chart = Chart(chart_id=chart_id, title=title, description=description, svg=svg, table=table)
    return RunChart(chart, analysis, notes)
