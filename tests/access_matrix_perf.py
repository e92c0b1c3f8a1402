"""Declarations for the operations URLs: liveness and readiness, open to everyone."""

from __future__ import annotations

from tests.access_declarations import Declaration, statuses

OPERATIONS: dict[str, Declaration] = {
    "readyz": Declaration("get", statuses(200)),
}
