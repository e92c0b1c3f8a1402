"""A narratives project added to the personas world, for the access matrix and page tests.

The ANALYST persona leads the project; P1 has told one narrative to it and an uploaded
transcript has one coded unit. Built once per world and cached on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from alongside.audit.log import Actor
from alongside.narratives import services
from alongside.narratives.models import (
    Code,
    Codebook,
    CodebookOrigin,
    CodeLevel,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
)
from tests.personas import Persona, World


@dataclass
class NarrativesWorld:
    project: NarrativeProject
    codebook: Codebook
    code: Code
    narrative: Source
    transcript: Source
    selection: Selection


def narratives_world(world: World) -> NarrativesWorld:
    cached: NarrativesWorld | None = getattr(world, "_narratives", None)
    if cached is not None:
        return cached
    lead = Actor(world.users[Persona.ANALYST], "analyst")
    project = services.create_project(
        lead, name="Stories from Ward A", purpose=Purpose.IMPROVEMENT, accepts_narratives=True
    )
    codebook = services.create_codebook(
        lead, project, name="Inductive", origin=CodebookOrigin.INDUCTIVE
    )
    code = services.add_code(
        lead, codebook, name="Feeling unsafe", level=CodeLevel.CODE, definition="Fear on the ward"
    )
    narrative = services.submit_narrative(
        Actor(world.users[Persona.P1], "person"),
        project,
        "The night staff listened to me.",
        consent_improvement=True,
        consent_research=False,
    )
    transcript = services.upload_transcript(
        lead,
        project,
        "Focus group 1",
        b"We talked about the ward.\r\nIt felt safe at night.\r\n",
        consent_improvement=True,
        consent_research=True,
        attributes={"speaker_role": "staff"},
    )
    selection = services.code_span(lead, transcript, 0, 25, "talk about ward", [code])
    built = NarrativesWorld(project, codebook, code, narrative, transcript, selection)
    world._narratives = built  # type: ignore[attr-defined]
    return built
