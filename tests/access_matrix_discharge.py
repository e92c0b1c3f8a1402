"""Access declarations for the discharge URLs (see access_matrix.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

DISCHARGE: dict[str, Declaration] = {}

DISCHARGE_ALSO: list[tuple[str, Declaration]] = []
