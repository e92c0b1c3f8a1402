"""Access declarations for the network URLs (see access_matrix.py)."""

from __future__ import annotations

from tests.access_declarations import Declaration

NETWORK: dict[str, Declaration] = {}

NETWORK_ALSO: list[tuple[str, Declaration]] = []
