"""Access declarations for the narratives suggest URLs (see access_matrix_narratives.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

SUGGEST: dict[str, Declaration] = {}

SUGGEST_ALSO: list[tuple[str, Declaration]] = []
