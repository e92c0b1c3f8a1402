"""Access declarations for the meetings URLs (see access_matrix.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

MEETINGS: dict[str, Declaration] = {}

MEETINGS_ALSO: list[tuple[str, Declaration]] = []
