"""Small-number suppression and the run-chart rules, on hand-made numbers."""

from __future__ import annotations

from datetime import date

from alongside.insight.runchart import RunPoint, analyse, crossings_limit, run_chart
from alongside.insight.suppression import Hidden, column, primary


def test_a_cell_of_4_is_hidden_and_5_is_shown() -> None:
    assert primary(4).hidden is Hidden.SMALL
    assert primary(0).hidden is Hidden.SMALL
    assert primary(5).hidden is Hidden.SHOWN
    assert primary(3, counted=False).hidden is Hidden.SHOWN  # minutes, not persons


def test_one_hidden_cell_takes_the_smallest_shown_cell_with_it() -> None:
    # Units: 4 (hidden), 12, 7, 30; total 53 shown. 53 - 12 - 7 - 30 would give the 4 back, so
    # the 7 is hidden as well.
    cells, total = column([4, 12, 7, 30])
    assert [c.hidden for c in cells] == [Hidden.SMALL, Hidden.SHOWN, Hidden.SECONDARY, Hidden.SHOWN]
    assert total.shown == 53
    # Neither hidden cell can be worked out: only their sum (11) follows from what is shown.
    assert [c.shown for c in cells] == [None, 12, None, 30]


def test_two_hidden_cells_need_no_secondary() -> None:
    cells, total = column([4, 3, 20])
    assert [c.hidden for c in cells] == [Hidden.SMALL, Hidden.SMALL, Hidden.SHOWN]
    assert total.shown == 27


def test_a_lone_hidden_cell_hides_the_total() -> None:
    cells, total = column([4])
    assert cells[0].hidden
    assert total.hidden
    cells, total = column([2, 2])  # total 4 is small itself
    assert total.hidden is Hidden.SMALL


def test_nothing_small_nothing_hidden() -> None:
    cells, total = column([5, 9])
    assert all(not c.hidden for c in cells)
    assert total.shown == 14


def test_shift_of_six_points_on_one_side() -> None:
    # Median of these 12 is 5.5: the first six are all below it, the last six all above.
    values = [3, 5, 2, 4, 5, 3, 6, 7, 6, 8, 7, 6]
    result = analyse(values)
    assert result.median == 5.5
    assert result.shift_points == frozenset(range(12))
    # Moving one point across the median breaks the first shift into runs of one and four.
    broken = analyse([3, 5, 9, 4, 5, 3, 6, 7, 6, 8, 7, 2])
    assert broken.shift_points == frozenset()
    assert not analyse([3, 5, 2, 4, 5, 6, 7, 6, 8, 7, 6][:-1]).shift_points  # only five above


def test_points_on_the_median_neither_break_nor_count() -> None:
    # Median 5; the 5s are skipped, so 6, 6, 7, 8, 6, 9 is one shift of six points.
    values = [1, 2, 3, 5, 6, 6, 5, 7, 8, 6, 9, 2, 1, 5]
    result = analyse(values)
    assert result.median == 5
    assert result.shift_points == frozenset({4, 5, 7, 8, 9, 10})


def test_trend_of_five_points_and_ties_are_skipped() -> None:
    assert analyse([1, 2, 3, 4, 5]).trend_points == frozenset(range(5))
    assert analyse([1, 2, 3, 4, 3]).trend_points == frozenset()
    # The repeated 3 is skipped: 1, 2, 3, 4, 5 still rise five times in a row.
    assert analyse([1, 2, 3, 3, 4, 5]).trend_points == frozenset(range(6))


def test_runs_limits_from_the_binomial() -> None:
    # Anhøj's table: 20 useful points need at least 6 crossings; 10 need at least 2.
    assert crossings_limit(20) == 6
    assert crossings_limit(10) == 2
    alternating = [1, 9] * 6  # 12 points, 12 runs: more than chance
    assert analyse(alternating).too_many_runs
    two_runs = [1, 2, 1, 2, 1, 9, 8, 9, 8, 9]  # 10 points, 2 runs: fewer than chance
    result = analyse(two_runs)
    assert result.runs == 2
    assert result.too_few_runs
    assert not analyse([1, 2, 1, 2, 1][:4]).too_few_runs  # too few points to judge


def test_run_chart_draws_gaps_and_a_table_row_per_month() -> None:
    points = [
        RunPoint(date(2026, m, 1), None if m == 3 else float(m), str(m), "10") for m in range(1, 8)
    ]
    chart = run_chart(chart_id="c", title="T", points=points, unit_label="per cent")
    assert str(chart.chart.svg).count("<polyline") == 2  # broken at the hidden March
    assert 'class="median"' in str(chart.chart.svg)
    assert len(chart.chart.table.rows) == 7
    assert chart.chart.table.rows[2][3] == "hidden"


def test_run_chart_of_nothing() -> None:
    chart = run_chart(chart_id="c", title="T", points=[], unit_label="per cent")
    assert chart.analysis.median is None
    assert chart.chart.table.rows == []
