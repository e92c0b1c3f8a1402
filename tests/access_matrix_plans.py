"""Access declarations for the recovery-plan URLs."""

from __future__ import annotations

from tests.access_declarations import Declaration

PLANS: dict[str, Declaration] = {}
