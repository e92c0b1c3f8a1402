"""Access declarations for the working-relationship URLs (time together, notes).

Notes need the ``notes`` section: P1 themself and the key worker; the caseworker's scope (plan
and meetings) does not include notes. Staff write notes and log time together; the person
comments on and confirms notes about them.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import Declaration, P, only, p1
from tests.personas import World


def note(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "note_id": world.note.pk}


RELATIONSHIP: dict[str, Declaration] = {
    "relationship:together": Declaration("get", only([P.KEY_WORKER]), kwargs=p1),
    "relationship:notes": Declaration("get", only([P.P1, P.KEY_WORKER]), kwargs=p1),
    "relationship:note": Declaration("get", only([P.P1, P.KEY_WORKER]), kwargs=note),
}

RELATIONSHIP_ALSO: list[tuple[str, Declaration]] = [
    (
        "relationship:together",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {"activity": "A walk by the water", "duration_minutes": "40"},
            writes=True,
        ),
    ),
    (
        "relationship:notes",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {"talked_about": "The week ahead"},
            writes=True,
        ),
    ),
    (
        "relationship:note",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=note,
            data=lambda w: {"action": "comment", "kind": "comment", "text": "I said it better"},
            writes=True,
        ),
    ),
]
