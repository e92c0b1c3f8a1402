"""Access declarations for the narratives collect URLs (see access_matrix_narratives.py).

Anyone signed in (a person, staff, an invited family member) may tell a story to a project that
accepts narratives, and sees their own stories on /narratives/mine/. Only the writer withdraws a
story: for everyone else, and for a transcript, the withdraw URL is a 404.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import EVERY_LOGGED_IN, Declaration, P, only
from tests.narratives_world import narratives_world
from tests.personas import Persona, World

LOGGED_IN: list[Persona] = list(EVERY_LOGGED_IN)


def with_project(world: World) -> dict[str, Any]:
    """No URL parameters, but the narratives project must exist before the request."""
    narratives_world(world)
    return {}


def narrative(world: World) -> dict[str, Any]:
    return {"source_id": narratives_world(world).narrative.pk}


def story(world: World) -> dict[str, Any]:
    return {
        "project": str(narratives_world(world).project.pk),
        "text": "What helped me was being listened to.",
        "consent_improvement": "on",
    }


COLLECT: dict[str, Declaration] = {
    "narratives:collect-tell": Declaration(
        "get", only(LOGGED_IN), kwargs=with_project, notes="any signed-in user may tell"
    ),
    "narratives:collect-mine": Declaration(
        "get", only(LOGGED_IN), notes="each user sees only their own stories"
    ),
    "narratives:collect-withdraw": Declaration(
        "post",
        only([P.P1], ok=302),
        kwargs=narrative,
        data=lambda w: {"reason": "I changed my mind"},
        writes=True,
        notes="only the writer withdraws their story",
    ),
}

COLLECT_ALSO: list[tuple[str, Declaration]] = [
    (
        "narratives:collect-tell",
        Declaration(
            "post",
            only(LOGGED_IN, ok=302),
            kwargs=with_project,
            data=story,
            writes=True,
            notes="a person, staff member or family member sends a story",
        ),
    ),
]
