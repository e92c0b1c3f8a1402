"""Access declarations for the measures URLs (see access_matrix.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

MEASURES: dict[str, Declaration] = {}

MEASURES_ALSO: list[tuple[str, Declaration]] = []
