"""The dashboard's tables as files: CSV and Parquet, with the same suppression as the page.

One long table: for every indicator and month, one row per unit (or organisation) compared and one
row for the scope's total; for an indicator counted by group, one more row per group with the
scope's count in ``numerator`` and the group's code in ``group``. A hidden cell is empty and its
row says why (``small`` or ``secondary``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from alongside.core.csv_safe import safe_cell
from alongside.insight.queries import Figure, GroupRow, IndicatorFigures, Scope

COLUMNS = [
    "scope",
    "indicator",
    "domain",
    "period",
    "member",
    "numerator",
    "denominator",
    "value",
    "hidden",
    "group",
]


def _row(
    scope: Scope, figures: IndicatorFigures, period: str, member: str, f: Figure
) -> dict[str, Any]:
    return {
        "scope": f"{scope.kind}:{scope.pk}",
        "indicator": figures.indicator.code,
        "domain": str(figures.indicator.domain),
        "period": period,
        "member": member,
        "numerator": f.numerator.shown,
        "denominator": f.denominator.shown,
        "value": f.value,
        "hidden": ",".join(
            sorted({str(c.hidden) for c in (f.numerator, f.denominator) if c.hidden})
        ),
        "group": "",
    }


def _group_row(
    scope: Scope, figures: IndicatorFigures, period: str, group: GroupRow
) -> dict[str, Any]:
    return {
        "scope": f"{scope.kind}:{scope.pk}",
        "indicator": figures.indicator.code,
        "domain": str(figures.indicator.domain),
        "period": period,
        "member": "total",
        "numerator": group.count.shown,
        "denominator": None,
        "value": None,
        "hidden": str(group.count.hidden),
        "group": group.code,
    }


def rows(
    scope: Scope,
    all_figures: Sequence[IndicatorFigures],
    groups: Mapping[date, Mapping[str, Sequence[GroupRow]]] | None = None,
) -> list[dict[str, Any]]:
    out = []
    for figures in all_figures:
        for comparison in figures.comparisons:
            period = comparison.period.strftime("%Y-%m")
            if len(comparison.rows) > 1:
                for member, f in comparison.rows:
                    out.append(_row(scope, figures, period, member.name, f))
            out.append(_row(scope, figures, period, "total", comparison.total))
            for group in (groups or {}).get(comparison.period, {}).get(figures.indicator.code, []):
                out.append(_group_row(scope, figures, period, group))
    return out


def to_csv(table: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in table:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


SCHEMA = pa.schema(
    [
        ("scope", pa.string()),
        ("indicator", pa.string()),
        ("domain", pa.string()),
        ("period", pa.string()),
        ("member", pa.string()),
        ("numerator", pa.float64()),
        ("denominator", pa.float64()),
        ("value", pa.float64()),
        ("hidden", pa.string()),
        ("group", pa.string()),
    ]
)


def to_parquet(table: list[dict[str, Any]]) -> bytes:
    arrow = pa.Table.from_pylist(table, schema=SCHEMA)
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer)
    return buffer.getvalue()
