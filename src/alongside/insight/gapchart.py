"""The gap chart: for each theme, staff mean minus person mean with its 95% interval, around 0.

Right of the zero line, staff believe they do better than persons experience; left of it, persons
rate the unit higher than staff do. A hidden theme (under 5 answers on a side) is written as such.
Server-rendered SVG; the same numbers go in the data table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from alongside.insight.survey import ThemeGap
from alongside.measures.charts import Chart, DataTable, format_number

SVG_NS = "http://www.w3.org/2000/svg"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def gap_chart(
    chart_id: str, title: str, gaps: Sequence[ThemeGap], names: Mapping[str, str]
) -> Chart:
    width, row_h, left, right, top = 640, 26, 260.0, 24.0, 30.0
    height = int(top + row_h * len(gaps) + 30)
    span = 4.0  # the largest possible gap on a 1-5 scale
    plot_w = width - left - right

    def x_of(value: float) -> float:
        return left + plot_w * (max(-span, min(span, value)) + span) / (2 * span)

    description = _(
        "Right of the line, staff rate the unit higher than persons do; left of it, persons rate "
        "it higher. Themes with fewer than 5 answers on a side are hidden."
    )
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart gap-chart",
            "id": chart_id,
            "focusable": "false",
        },
    )
    ET.SubElement(root, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(root, "desc", {"id": f"{chart_id}-desc"}).text = description
    zero = _n(x_of(0))
    ET.SubElement(
        root,
        "line",
        {"x1": zero, "x2": zero, "y1": _n(top - 8), "y2": str(height - 20), "class": "axis-line"},
    )
    for tick in (-2, -1, 0, 1, 2):
        ET.SubElement(
            root,
            "text",
            {"x": _n(x_of(tick)), "y": _n(top - 12), "text-anchor": "middle", "class": "tick"},
        ).text = format_number(tick)
    rows = []
    for index, gap in enumerate(gaps):
        y = top + row_h * index + row_h / 2
        name = names.get(gap.theme, gap.theme)
        ET.SubElement(
            root,
            "text",
            {"x": _n(left - 8), "y": _n(y), "text-anchor": "end", "dominant-baseline": "middle"},
        ).text = name
        if gap.suppressed or gap.gap is None or gap.low is None or gap.high is None:
            ET.SubElement(
                root,
                "text",
                {
                    "x": _n(x_of(0) + 6),
                    "y": _n(y),
                    "dominant-baseline": "middle",
                    "class": "hidden-label",
                },
            ).text = _("hidden")
            rows.append([name, str(gap.staff.n), "", str(gap.persons.n), "", _("hidden"), ""])
            continue
        ET.SubElement(
            root,
            "line",
            {
                "x1": _n(x_of(gap.low)),
                "x2": _n(x_of(gap.high)),
                "y1": _n(y),
                "y2": _n(y),
                "class": "interval",
            },
        )
        side = "staff-higher" if gap.gap > 0 else "persons-higher"
        ET.SubElement(
            root,
            "circle",
            {"cx": _n(x_of(gap.gap)), "cy": _n(y), "r": "5", "class": f"point {side}"},
        )
        assert gap.staff.mean is not None
        assert gap.persons.mean is not None
        rows.append(
            [
                name,
                str(gap.staff.n),
                format_number(round(gap.staff.mean, 2)),
                str(gap.persons.n),
                format_number(round(gap.persons.mean, 2)),
                format_number(round(gap.gap, 2)),
                _("%(low)s to %(high)s")
                % {
                    "low": format_number(round(gap.low, 2)),
                    "high": format_number(round(gap.high, 2)),
                },
            ]
        )
    table = DataTable(
        caption=title,
        columns=[
            _("Theme"),
            _("Staff answers"),
            _("Staff mean"),
            _("Person answers"),
            _("Person mean"),
            _("Gap (staff minus persons)"),
            _("95 percent interval"),
        ],
        rows=rows,
    )
    svg = mark_safe(ET.tostring(root, encoding="unicode", short_empty_elements=True))
    return Chart(chart_id=chart_id, title=title, description=description, svg=svg, table=table)
