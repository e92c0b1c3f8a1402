"""Access declarations for the narratives reports URLs (see access_matrix_narratives.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

REPORTS: dict[str, Declaration] = {}

REPORTS_ALSO: list[tuple[str, Declaration]] = []
