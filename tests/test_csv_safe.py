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
