"""Access declarations for the narratives workbench URLs (see access_matrix_narratives.py).

Only members of a project reach it: in the personas world the ANALYST leads the one project
(``tests/narratives_world.py``) and nobody else is a member, so every other persona gets 404 —
P1 included, although P1 told one of the project's stories. Any staff member may start a
project; persons and family may not.
"""

from __future__ import annotations

from typing import Any

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import services
from alongside.narratives.models import AnalystRole
from tests.access_declarations import EVERY_LOGGED_IN, STAFF, Declaration, P, only
from tests.narratives_world import make_analysts, narratives_world
from tests.personas import Persona, World

LEAD = [P.ANALYST]


def project(world: World) -> dict[str, Any]:
    return {"project_id": narratives_world(world).project.pk}


def codebook(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    return {"project_id": built.project.pk, "codebook_id": built.codebook.pk}


def source(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    return {"project_id": built.project.pk, "source_id": built.transcript.pk}


def unit(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    return {"project_id": built.project.pk, "selection_id": built.selection.pk}


def _second_analyst(world: World) -> User:
    """An analyst in the lead's ward who may be added to the project (not a persona)."""
    found = User.objects.filter(username="narratives-second-analyst").first()
    if found is None:
        found = create_user("narratives-second-analyst", None, display_name="Second Analyst")
        make_analysts(found, unit=world.ward)
    return found


def code_of_world(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    return {"project_id": built.project.pk, "code_id": built.code.pk}


def disagreement_data(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    return {
        "source": built.transcript.pk,
        "code": built.code.pk,
        "coder_a": str(services.user_guid(world.users[Persona.ANALYST].pk)),
        "coder_b": str(services.user_guid(world.users[Persona.P2].pk)),
    }


def project_and_analyst(world: World) -> dict[str, Any]:
    """The project, with an analyst the lead may add already there (before the request)."""
    _second_analyst(world)
    return project(world)


def viewer_member(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    lead = Actor(world.users[Persona.ANALYST], "analyst")
    member = services.add_member(lead, built.project, _second_analyst(world), AnalystRole.VIEWER)
    return {"project_id": built.project.pk, "member_id": member.pk}


def consensus_data(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    guid = str(services.user_guid(world.users[Persona.ANALYST].pk))
    return {
        "source": built.transcript.pk,
        "code": built.code.pk,
        "coder": [guid, str(services.user_guid(world.users[Persona.P2].pk))],
        "keep": "either",
    }


WORKBENCH: dict[str, Declaration] = {
    "narratives:projects": Declaration("get", only(EVERY_LOGGED_IN)),
    "narratives:project": Declaration("get", only(LEAD), kwargs=project),
    "narratives:members": Declaration(
        "post",
        only(LEAD, ok=302),
        kwargs=project_and_analyst,
        data=lambda w: {"user": _second_analyst(w).pk, "role": "coder"},
        writes=True,
    ),
    "narratives:member-remove": Declaration(
        "post", only(LEAD, ok=302), kwargs=viewer_member, writes=True
    ),
    "narratives:code": Declaration("get", only(LEAD), kwargs=code_of_world),
    "narratives:autocode": Declaration(
        "post",
        only(LEAD, ok=302),
        kwargs=source,
        data=lambda w: {
            "autocode-speaker": "Participant",
            "autocode-code": narratives_world(w).code.pk,
        },
        writes=True,
    ),
    "narratives:disagreement": Declaration(
        "post",
        only(LEAD, ok=302),
        kwargs=project,
        data=lambda w: {**disagreement_data(w), "keep": "either"},
        writes=True,
    ),
    "narratives:coding-round": Declaration(
        "post",
        only(LEAD, ok=302),
        kwargs=project,
        data=lambda w: {"action": "close"},
        writes=True,
    ),
    "narratives:codebooks": Declaration(
        "post",
        only(LEAD, ok=302),
        kwargs=project,
        data=lambda w: {"name": "Second reading"},
        writes=True,
    ),
    "narratives:codebook": Declaration("get", only(LEAD), kwargs=codebook),
    "narratives:upload": Declaration("get", only(LEAD), kwargs=project),
    "narratives:source": Declaration("get", only(LEAD), kwargs=source),
    "narratives:unit-remove": Declaration("post", only(LEAD, ok=302), kwargs=unit, writes=True),
    "narratives:memo": Declaration(
        "post",
        only(LEAD, ok=302),
        kwargs=project,
        data=lambda w: {"text": "Fear of the night shift comes up often."},
        writes=True,
    ),
    "narratives:agreement": Declaration("get", only(LEAD), kwargs=project),
    # Text search and word frequency read source text: members only, like the texts themselves.
    "narratives:search": Declaration("get", only(LEAD), kwargs=project),
    "narratives:words": Declaration("get", only(LEAD), kwargs=project),
    "narratives:words-csv": Declaration("get", only(LEAD), kwargs=project),
    "narratives:consensus": Declaration(
        "post", only(LEAD, ok=302), kwargs=project, data=consensus_data, writes=True
    ),
}

WORKBENCH_ALSO: list[tuple[str, Declaration]] = [
    (
        "narratives:projects",
        Declaration(
            "post",
            only(STAFF, ok=302),
            data=lambda w: {"name": "Listening to families", "purpose": "improvement"},
            writes=True,
        ),
    ),
    (
        "narratives:codebook",
        Declaration(
            "post",
            only(LEAD, ok=302),
            kwargs=codebook,
            data=lambda w: {"name": "Being heard", "level": "code", "definition": "Listened to"},
            writes=True,
        ),
    ),
    (
        "narratives:source",
        Declaration(
            "post",
            only(LEAD, ok=302),
            kwargs=source,
            data=lambda w: {"start": "26", "end": "48", "condensed": "safe at night"},
            writes=True,
        ),
    ),
]
