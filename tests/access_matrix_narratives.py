"""Access declarations for the narratives URLs (see access_matrix.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

NARRATIVES: dict[str, Declaration] = {}

NARRATIVES_ALSO: list[tuple[str, Declaration]] = []
