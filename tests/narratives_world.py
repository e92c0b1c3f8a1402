"""A narratives project added to the personas world, for the access matrix and page tests.

The ANALYST persona leads the project; P1 has told one narrative to it and an uploaded
transcript has one coded unit. Built once per world and cached on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alongside.accounts.models import User
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
from alongside.organisations import services as organisations
from alongside.organisations.models import Organisation, Role, Unit
from tests.personas import Persona, World

RESEARCH_OFFICE = "narratives-research-office"


def research_unit() -> Unit:
    """A research office whose analysts may be added to one another's projects."""
    found = Unit.objects.filter(code=RESEARCH_OFFICE).first()
    if found is not None:
        return found
    system = Actor.system()
    office = Organisation.objects.filter(code=RESEARCH_OFFICE).first()
    if office is None:
        office = organisations.create_organisation(
            system, code=RESEARCH_OFFICE, name="Research office", kind="hospital"
        )
    return organisations.create_unit(
        system, office, code=RESEARCH_OFFICE, name="Research office", kind="service"
    )


def narratives_unit(built: NarrativesWorld) -> Unit:
    """The unit where the personas world's lead analyst works (others added there may join)."""
    from alongside.organisations.models import StaffRole

    role = StaffRole.objects.current().filter(user=built.project.created_by).first()
    assert role is not None
    return role.unit


def make_analysts(*users: User, unit: Unit | None = None) -> None:
    """Give each user a current analyst role (in ``unit``, by default the research office)."""
    where = unit or research_unit()
    for user in users:
        organisations.assign_role(
            Actor.system(), user, where, Role.ANALYST, started_on=date(2020, 1, 1)
        )


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
