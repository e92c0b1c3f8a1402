"""Access declarations for the narratives collect URLs (see access_matrix_narratives.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

COLLECT: dict[str, Declaration] = {}

COLLECT_ALSO: list[tuple[str, Declaration]] = []
