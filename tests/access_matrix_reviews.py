"""Access declarations for the reviews URLs (see access_matrix.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

REVIEWS: dict[str, Declaration] = {}

REVIEWS_ALSO: list[tuple[str, Declaration]] = []
