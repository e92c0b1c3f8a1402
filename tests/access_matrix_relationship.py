"""Access declarations for the working-relationship URLs (time together, notes).

Every page here needs the person's ``notes`` section: P1 themself (all sections) and their key
worker (unit role and network). The caseworker's scope (plan and meetings) does not include
notes, family see the crisis plan only, and the rest have no relationship to P1 at all.

Who writes what: staff (a current staff role) write notes and log time together; the person reads
notes about them, confirms them and adds comments or corrections. So P1 gets 404 for writing a
note or logging time together (she reads the time-together log, without the form), and the
key worker gets 404 for commenting on or confirming a note as if they were the person.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import Declaration, P, only, p1
from tests.personas import World


def note(world: World) -> dict[str, Any]:
    return {"person_id": world.p1.pk, "note_id": world.note.pk}


RELATIONSHIP: dict[str, Declaration] = {
    "relationship:together": Declaration(
        "get",
        only([P.P1, P.KEY_WORKER]),
        kwargs=p1,
        notes="staff log time together; the person reads her own log",
    ),
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
            notes="staff log time together; the person does not",
        ),
    ),
    (
        "relationship:notes",
        Declaration(
            "post",
            only([P.KEY_WORKER], ok=302),
            kwargs=p1,
            data=lambda w: {"talked_about": "The week ahead", "agreed": "Meet on Friday"},
            writes=True,
            notes="staff write notes; the person comments on them instead",
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
            notes="only the person comments; staff cannot comment as them",
        ),
    ),
    (
        "relationship:note",
        Declaration(
            "post",
            only([P.P1], ok=302),
            kwargs=note,
            data=lambda w: {"action": "confirm"},
            writes=True,
            notes="only the person confirms a note is right",
        ),
    ),
]
