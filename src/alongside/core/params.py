"""One way to read ids, numbers and dates from a request, with bounds.

Query strings and form fields are whatever a browser, a script or an attacker sends.
``isdigit()`` accepts superscript and Arabic-Indic digits and ``int()`` then fails or reads them;
a 30-digit number overflows the bigint; year 1 overflows date arithmetic. Everything here answers
``None`` for such input, never an exception, so odd input can never become a server error.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# The largest value of a PostgreSQL bigint (and of SQLite's integers): the range of every id.
MAX_ID = 2**63 - 1
# Dates the service can mean: nothing happened in it before 1900 and nothing is planned past 2200.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 1, 1)


def parse_int(raw: object, *, low: int, high: int) -> int | None:
    """A plain ASCII decimal integer (optional minus sign) within [low, high], else ``None``."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 20:
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(raw: object) -> int | None:
    """A database id: a positive integer that fits a bigint, else ``None``."""
    return parse_int(raw, low=1, high=MAX_ID)


def parse_ids(values: Iterable[object]) -> set[int]:
    """The valid ids among ``values``; the rest are dropped."""
    return {value for value in map(parse_id, values) if value is not None}


def parse_date(raw: object, *, earliest: date = EARLIEST, latest: date = LATEST) -> date | None:
    """An ISO date (YYYY-MM-DD) within [earliest, latest], else ``None``."""
    if not isinstance(raw, str) or len(raw) != 10 or not raw.isascii():
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None
    return value if earliest <= value <= latest else None
