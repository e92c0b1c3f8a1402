"""Template filters for insight tables."""

from __future__ import annotations

from django import template

from alongside.insight.queries import cell_text
from alongside.insight.suppression import Cell
from alongside.measures.charts import format_number

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    return cell_text(value)


@register.filter
def number(value: float) -> str:
    return format_number(value)
