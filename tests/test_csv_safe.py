"""CSV written by the product never turns a cell into a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest

from alongside.core.csv_safe import csv_text, safe_cell


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_a_cell_that_would_be_a_formula_is_escaped(text: str) -> None:
    assert safe_cell(text) == "'" + text
    (row,) = list(csv.reader(io.StringIO(csv_text([[text]]), newline="")))
    assert row == ["'" + text]


def test_ordinary_text_and_computed_numbers_are_written_as_they_are() -> None:
    written = csv_text([["Hope", "a - b", 3, -2, 0.5, None, ""]])
    assert written == "Hope,a - b,3,-2,0.5,,\r\n"


def test_the_empty_table_is_empty() -> None:
    assert csv_text([]) == ""


def test_the_insight_table_escapes_a_unit_name_that_looks_like_a_formula() -> None:
    from alongside.insight.exports import COLUMNS, to_csv

    row = dict.fromkeys(COLUMNS, "")
    row.update(member='=HYPERLINK("http://example.org")', numerator=-3, scope="unit")
    (header, written) = list(csv.reader(io.StringIO(to_csv([row]).decode("utf-8"), newline="")))
    cells = dict(zip(header, written, strict=True))
    assert cells["member"] == '\'=HYPERLINK("http://example.org")'
    assert cells["numerator"] == "-3"  # a number the product computed stays a number
