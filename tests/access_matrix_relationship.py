"""Access declarations for the working-relationship URLs (time together, notes)."""

from __future__ import annotations

from tests.access_declarations import Declaration

RELATIONSHIP: dict[str, Declaration] = {}
