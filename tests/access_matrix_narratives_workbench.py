"""Access declarations for the narratives workbench URLs (see access_matrix_narratives.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

WORKBENCH: dict[str, Declaration] = {}

WORKBENCH_ALSO: list[tuple[str, Declaration]] = []
