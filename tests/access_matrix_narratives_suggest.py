"""Access declarations for the narratives assisted-coding URLs (see access_matrix_narratives.py).

Suggestions and their precision are for the project's members (lead, coder, viewer); in the
world only the ANALYST is a member (the lead). Accepting a suggestion codes a unit as the person
who clicks: leads and coders only. Everyone else gets 404, and their POST changes nothing.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import Declaration, P, only
from tests.narratives_world import narratives_world
from tests.personas import World

MEMBERS = [P.ANALYST]
CODERS = [P.ANALYST]


def project(world: World) -> dict[str, Any]:
    return {"project_id": narratives_world(world).project.pk}


def accepted(world: World) -> dict[str, Any]:
    """Accept the world's code for the transcript's uncoded second line."""
    built = narratives_world(world)
    start = built.transcript.text.index("It felt safe")
    return {
        "source": built.transcript.pk,
        "start": start,
        "end": start + len("It felt safe at night."),
        "code": built.code.pk,
        "page": 1,
    }


SUGGEST: dict[str, Declaration] = {
    "narratives:suggestions": Declaration(
        "get", only(MEMBERS), kwargs=project, notes="project members only"
    ),
    "narratives:suggestion-precision": Declaration(
        "get", only(MEMBERS), kwargs=project, notes="project members only"
    ),
    "narratives:suggestion-accept": Declaration(
        "post",
        only(CODERS, ok=302),
        kwargs=project,
        data=accepted,
        writes=True,
        notes="a lead or coder codes the unit as themself; nothing is applied without a click",
    ),
}

SUGGEST_ALSO: list[tuple[str, Declaration]] = []
