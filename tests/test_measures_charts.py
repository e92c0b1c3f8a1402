"""The measures charts: valid SVG, labelled for screen readers, bands and reliable-change markers
drawn with shape and words, and a data table with one row per point drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.utils import translation

from alongside.measures.charts import (
    Axis,
    Band,
    Change,
    Point,
    Series,
    Snapshot,
    band_for,
    chime_radar,
    nice_ticks,
    trend_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}

BANDS = [
    Band(0, 20, "Low", "low"),
    Band(20, 40, "Middle", "mid"),
    Band(40, 60, "High", "high"),
]
TOTAL = Series(
    "Total",
    [
        Point(date(2026, 1, 5), 18),
        Point(date(2026, 2, 2), 21),
        Point(date(2026, 3, 2), 35, Change.BETTER),
        Point(date(2026, 4, 6), 24, Change.WORSE),
    ],
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def test_trend_chart_is_valid_svg_labelled_for_screen_readers() -> None:
    chart = trend_chart(chart_id="qpr", title="QPR total", series=[TOTAL], y_min=0, y_max=60)
    root = parse(chart.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "qpr-title qpr-desc"
    assert root.find("svg:title", NS) is not None
    assert root.find("svg:title", NS).text == "QPR total"  # type: ignore[union-attr]
    description = root.find("svg:desc", NS)
    assert description is not None
    assert "4 answers" in (description.text or "")
    assert "style=" not in chart.svg


def test_trend_chart_draws_each_band_as_a_labelled_rectangle() -> None:
    chart = trend_chart(
        chart_id="qpr", title="QPR total", series=[TOTAL], y_min=0, y_max=60, bands=BANDS
    )
    root = parse(chart.svg)
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "band" in classes(r)]
    assert [sorted(classes(r)) for r in rects] == [
        ["band", "band-low"],
        ["band", "band-mid"],
        ["band", "band-high"],
    ]
    # The higher band sits higher on the page (smaller y), and the bands share their edges.
    ys = [float(r.get("y", "0")) for r in rects]
    assert ys[0] > ys[1] > ys[2]
    assert float(rects[1].get("y", "0")) + float(rects[1].get("height", "0")) == pytest.approx(
        ys[0], abs=0.11
    )
    labels = [
        t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if "band-label" in classes(t)
    ]
    assert labels == ["Low", "Middle", "High"]


def test_reliable_changes_are_shapes_with_words_not_colour_only() -> None:
    chart = trend_chart(chart_id="qpr", title="QPR total", series=[TOTAL], y_min=0, y_max=60)
    root = parse(chart.svg)
    markers = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "change" in classes(g)]
    assert [sorted(classes(g)) for g in markers] == [
        ["change", "change-better"],
        ["change", "change-worse"],
    ]
    for marker in markers:
        assert marker.find("svg:polygon", NS) is not None
    words = [marker.find("svg:text", NS).text for marker in markers]  # type: ignore[union-attr]
    assert words == ["Reliably better", "Reliably worse"]
    # The words of the last point run inwards, so they stay inside the picture.
    anchors = [marker.find("svg:text", NS).get("text-anchor") for marker in markers]  # type: ignore[union-attr]
    assert anchors == ["middle", "end"]
    # The triangle for "better" points up (its tip is above its base), "worse" points down.
    better, worse = (m.find("svg:polygon", NS).get("points", "") for m in markers)  # type: ignore[union-attr]
    tip_up = [float(p.split(",")[1]) for p in better.split()]
    tip_down = [float(p.split(",")[1]) for p in worse.split()]
    assert tip_up[0] < tip_up[1]
    assert tip_down[0] > tip_down[1]
    assert [label for _, label in chart.legend][-2:] == [
        "Triangle pointing up: reliably better",
        "Triangle pointing down: reliably worse",
    ]


def test_no_marker_without_a_reliable_change() -> None:
    steady = Series("Total", [Point(date(2026, 1, 5), 18), Point(date(2026, 2, 5), 19)])
    chart = trend_chart(chart_id="t", title="T", series=[steady], y_min=0, y_max=60)
    assert "change-" not in chart.svg
    assert [label for _, label in chart.legend] == ["Total"]
    # Without bands there is no "Meaning" column to leave empty.
    assert chart.table.columns == ["Date", "Value", "Reliable change"]
    assert chart.table.rows[1][1:] == ["19", ""]


def test_dates_at_the_edges_are_anchored_inwards() -> None:
    chart = trend_chart(chart_id="t", title="T", series=[TOTAL], y_min=0, y_max=60)
    labels = [
        t
        for t in parse(chart.svg).iter("{http://www.w3.org/2000/svg}text")
        if t.get("y") == "246" and t.get("class") is None
    ]
    assert [t.get("text-anchor") for t in labels] == ["start", "middle", "middle", "end"]


def test_table_has_one_row_per_point_drawn() -> None:
    sub = Series("Support", [Point(date(2026, 1, 5), 50), Point(date(2026, 3, 5), 70)])
    chart = trend_chart(
        chart_id="t", title="T", series=[TOTAL, sub], y_min=0, y_max=100, bands=BANDS
    )
    root = parse(chart.svg)
    circles = [c for c in root.iter("{http://www.w3.org/2000/svg}circle") if "point" in classes(c)]
    assert len(circles) == len(chart.table.rows) == 6
    assert chart.table.columns == ["Date", "Score", "Value", "Meaning", "Reliable change"]
    with translation.override("en"):
        first = chart.table.rows[0]
    assert first[1:] == ["Total", "18", "Low", ""]
    assert chart.table.rows[2][1:] == ["Total", "35", "Middle", "Reliably better"]
    assert chart.table.rows[4][1:] == ["Support", "50", "High", ""]


def test_points_are_placed_by_date_and_value() -> None:
    chart = trend_chart(chart_id="t", title="T", series=[TOTAL], y_min=0, y_max=60)
    root = parse(chart.svg)
    circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    xs = [float(c.get("cx", "0")) for c in circles]
    ys = [float(c.get("cy", "0")) for c in circles]
    assert xs == sorted(xs)
    # 35 is the highest value: the smallest y.
    assert min(ys) == ys[2]
    # Four weeks then five weeks apart: the gaps are proportional.
    assert round((xs[3] - xs[2]) / (xs[2] - xs[1]), 2) == round(35 / 28, 2)


def test_out_of_range_values_stay_inside_the_plot() -> None:
    wild = Series("Total", [Point(date(2026, 1, 5), -10), Point(date(2026, 1, 6), 99)])
    chart = trend_chart(chart_id="t", title="T", series=[wild], y_min=0, y_max=60, height=300)
    ys = [
        float(c.get("cy", "0")) for c in parse(chart.svg).iter("{http://www.w3.org/2000/svg}circle")
    ]
    assert all(16 <= y <= 300 - 52 for y in ys)


def test_a_single_answer_and_no_answers_still_draw() -> None:
    one = trend_chart(
        chart_id="t",
        title="T",
        series=[Series("Total", [Point(date(2026, 1, 5), 12)])],
        y_min=0,
        y_max=40,
    )
    assert len(one.table.rows) == 1
    assert parse(one.svg).find("svg:g[@class='series series-0']/svg:polyline", NS) is None
    empty = trend_chart(chart_id="e", title="E", series=[Series("Total", [])], y_min=0, y_max=40)
    assert empty.table.rows == []
    assert parse(empty.svg).find("svg:desc", NS).text == "No answers yet."  # type: ignore[union-attr]


def test_labels_are_escaped() -> None:
    chart = trend_chart(
        chart_id="t",
        title='<script>alert("x")</script>',
        series=[Series("A & B", [Point(date(2026, 1, 5), 1)])],
        y_min=0,
        y_max=4,
        bands=[Band(0, 4, "<b>bold</b>")],
    )
    assert "<script>" not in chart.svg
    assert "<b>" not in chart.svg
    assert parse(chart.svg).find("svg:title", NS).text == '<script>alert("x")</script>'  # type: ignore[union-attr]


def test_nice_ticks() -> None:
    assert nice_ticks(0, 60) == [0, 20, 40, 60]
    assert nice_ticks(1, 7) == [2, 4, 6]
    assert nice_ticks(1, 7, most=7) == [1, 2, 3, 4, 5, 6, 7]
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 4) == [0, 1, 2, 3, 4]


def test_band_for_prefers_the_upper_band_on_a_shared_edge() -> None:
    assert band_for(20, BANDS) == BANDS[1]
    assert band_for(5, BANDS) == BANDS[0]
    assert band_for(61, BANDS) is None


AXES = [
    Axis("chime.c", "Connectedness"),
    Axis("chime.h", "Hope"),
    Axis("chime.i", "Identity"),
    Axis("chime.m", "Meaning"),
    Axis("chime.e", "Empowerment"),
]


def test_chime_radar_compares_two_dates_on_five_axes() -> None:
    first = Snapshot(
        date(2026, 1, 5), {"chime.c": 1, "chime.h": 2, "chime.i": 2, "chime.m": 1, "chime.e": 3}
    )
    second = Snapshot(
        date(2026, 4, 5), {"chime.c": 3, "chime.h": 2, "chime.i": 4, "chime.m": 2, "chime.e": 3}
    )
    chart = chime_radar(
        chart_id="chime", title="CHIME", axes=AXES, first=first, second=second, max_value=4
    )
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chime-title chime-desc"
    groups = {
        next(c for c in classes(g) if c.startswith("radar-")): g
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if "radar" in classes(g)
    }
    assert set(groups) == {"radar-first", "radar-second"}
    # The earlier date has square points, the later round ones: shape, not colour only.
    assert len(groups["radar-first"].findall("svg:rect", NS)) == 5
    assert len(groups["radar-second"].findall("svg:circle", NS)) == 5
    area = groups["radar-second"].find("svg:polygon", NS)
    assert area is not None
    assert len(area.get("points", "").split()) == 5
    labels = [
        t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if "axis-label" in classes(t)
    ]
    assert labels == [a.label for a in AXES]
    assert [row[0] for row in chart.table.rows] == [a.label for a in AXES]
    assert [row[3] for row in chart.table.rows] == ["+2", "0", "+2", "+1", "0"]
    assert len(chart.table.columns) == 4
    assert "style=" not in chart.svg


def test_radar_point_distance_grows_with_value() -> None:
    low = Snapshot(date(2026, 1, 5), dict.fromkeys([a.code for a in AXES], 1.0))
    high = Snapshot(date(2026, 2, 5), dict.fromkeys([a.code for a in AXES], 4.0))
    chart = chime_radar(
        chart_id="c", title="C", axes=AXES, first=low, second=high, max_value=4, size=360
    )
    root = parse(chart.svg)
    square = next(root.iter("{http://www.w3.org/2000/svg}rect"))
    circle = next(root.iter("{http://www.w3.org/2000/svg}circle"))
    # The first axis points straight up from the centre of the picture.
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert float(circle.get("cx", "0")) == width / 2
    assert height == 360
    low_distance = 180 - (float(square.get("y", "0")) + 4)
    high_distance = 180 - float(circle.get("cy", "0"))
    assert round(high_distance / low_distance, 3) == 4
