"""A demo narratives project: Amira (analyst) leads, Yuki codes, two fictional transcripts.

The texts are written by us for the demo; nothing is quoted from the research literature.
Both analysts have coded the first transcript independently, so the agreement page has
something to compare; the second waits to be coded.
"""

from __future__ import annotations

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.narratives import services
from alongside.narratives.models import (
    AnalystRole,
    Code,
    CodebookOrigin,
    CodeLevel,
    Purpose,
    Source,
)
from alongside.narratives.starters import starter_codebook
from alongside.organisations import services as organisations
from alongside.organisations.models import Role, StaffRole

FOCUS_GROUP = (
    "Facilitator: What helped you feel safe on the ward?\r\n"
    "Participant 1: When the night nurse sat with me and let me talk, I slept.\r\n"
    "Participant 2: Nobody asked what I wanted before they moved me to another room.\r\n"
    "Participant 3: Meeting a peer worker who had been admitted herself gave me hope.\r\n"
    "Participant 1: The rules changed with every shift, so I never knew where I stood.\r\n"
    "Participant 2: My sister was allowed to visit in the evening. That kept me going.\r\n"
)

DIALOGUE_MEETING = (
    "Key worker: How did the first week at home go?\n"
    "Service user: The flat was cold and I had no one to call after five.\n"
    "Caseworker: The housing office promised a repair, but nothing has happened.\n"
    "Service user: The walking group on Thursdays is the best part of my week.\n"
)

# (words, condensed meaning, inductive code) per coder; Yuki's spans differ a little on purpose.
AMIRA_UNITS = [
    ("the night nurse sat with me and let me talk", "a nurse stayed and listened", "Being heard"),
    ("Nobody asked what I wanted", "moved without being asked", "No say"),
    (
        "Meeting a peer worker who had been admitted herself gave me hope",
        "a peer gave hope",
        "Peers",
    ),
    ("The rules changed with every shift", "rules unpredictable", "No say"),
]
YUKI_UNITS = [
    (
        "When the night nurse sat with me and let me talk, I slept",
        "listened to, slept",
        "Being heard",
    ),
    ("Nobody asked what I wanted before they moved me", "not asked before a move", "No say"),
    ("a peer worker who had been admitted herself gave me hope", "hope from a peer", "Peers"),
    ("My sister was allowed to visit in the evening", "family visits", "Being heard"),
]

CODES = [
    ("Being heard", "Staff take time to listen without hurrying.", ["she sat with me"]),
    ("No say", "Decisions made about the person without asking them.", ["nobody asked me"]),
    ("Peers", "Meeting people with lived experience.", ["someone who had been there"]),
]


def _code_units(
    actor: Actor, source: Source, units: list[tuple[str, str, str]], codes: dict[str, Code]
) -> None:
    for words, condensed, code_name in units:
        start = source.text.index(words)
        services.code_span(actor, source, start, start + len(words), condensed, [codes[code_name]])


def _research_role(lead: User, coder: User) -> None:
    """Yuki codes as a researcher: only staff with an analyst or research role may join."""
    if services.eligible_members(lead).filter(pk=coder.pk).exists():
        return
    unit = StaffRole.objects.current().filter(user=lead).order_by("pk").first()
    if unit is not None:
        organisations.assign_role(
            Actor.system(), coder, unit.unit, Role.RESEARCHER, started_on=unit.started_on
        )


def add_demo_narratives() -> None:
    amira = User.objects.get(username="amira")
    yuki = User.objects.get(username="yuki")
    lead = Actor(amira, "analyst")
    project = services.create_project(
        lead,
        name="Feeling safe on ward S2",
        purpose=Purpose.IMPROVEMENT,
        description="What makes the ward feel safe or unsafe, in the words of people there.",
        accepts_narratives=True,
    )
    _research_role(amira, yuki)
    services.add_member(lead, project, yuki, AnalystRole.CODER)
    starter_codebook("recovery", project, actor=lead)
    book = services.create_codebook(lead, project, "Our own codes", CodebookOrigin.INDUCTIVE)
    codes: dict[str, Code] = {
        name: services.add_code(
            lead, book, name=name, level=CodeLevel.CODE, definition=definition, examples=examples
        )
        for name, definition, examples in CODES
    }
    focus = services.upload_transcript(
        lead,
        project,
        "Focus group, ward S2, October",
        FOCUS_GROUP.encode(),
        consent_improvement=True,
        consent_research=False,
        attributes={"speaker_role": "service users", "unit": "S2", "date": "2026-10-14"},
    )
    services.upload_transcript(
        lead,
        project,
        "Dialogue meeting after discharge",
        DIALOGUE_MEETING.encode(),
        consent_improvement=True,
        consent_research=True,
        attributes={"speaker_role": "mixed", "unit": "S2"},
    )
    _code_units(lead, focus, AMIRA_UNITS, codes)
    _code_units(Actor(yuki, "analyst"), focus, YUKI_UNITS, codes)
    maja = User.objects.filter(username="maja").first()
    if maja is not None:
        services.submit_narrative(
            Actor(maja, "person"),
            project,
            "The first night I could not sleep. A nurse brought tea and sat by the door until I "
            "felt calm. Nobody had done that before.",
            consent_improvement=True,
            consent_research=False,
            anonymous_to_service=True,
        )
