"""The personas test world: a small, explicit world every access test runs against.

A hospital ward and a municipality. P1 stays on the ward; their key worker works there and their
municipal caseworker is in their network. P2 is unrelated. Around them: a staff member of another
unit, a former network member whose membership has ended, a family member P1 invited with
crisis-plan-only scope, an analyst, a researcher on P1's own ward (a staff role that is not a
care role: no person data, only the narratives projects they are added to), the hospital's
service administrator (who runs units, staff and registrations but sees no person's care data),
and an anonymous visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.administration import services as administration
from alongside.audit.log import Actor
from alongside.network import services as network
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.notifications.models import Notification
from alongside.organisations import services as organisations
from alongside.organisations.models import Organisation, Role, Unit
from alongside.people import services as people
from alongside.people.models import Person, StayKind
from alongside.plans import services as plans
from alongside.plans.models import Goal, GoalStep, Origin, StoryEntry
from alongside.relationship import services as relationship
from alongside.relationship.models import Note
from alongside.safety import register
from alongside.safety import services as safety
from alongside.safety.decisions import SharedDecision
from alongside.safety.models import CrisisPlanVersion
from alongside.safety.restrictive import MeasureType, RestrictiveEpisode

PASSWORD = "correct-horse-battery"


class Persona(StrEnum):
    P1 = "p1"
    P2 = "p2"
    KEY_WORKER = "key_worker"
    CASEWORKER = "caseworker"
    OTHER_UNIT_STAFF = "other_unit_staff"
    EXPIRED_MEMBER = "expired_member"
    FAMILY = "family"
    ANALYST = "analyst"
    RESEARCHER = "researcher"
    ADMIN = "admin"
    ANONYMOUS = "anonymous"


@dataclass
class World:
    hospital: Organisation
    municipality: Organisation
    ward: Unit
    other_ward: Unit
    casework: Unit
    p1: Person
    p2: Person
    users: dict[Persona, User]
    family_membership: CareNetworkMembership
    caseworker_membership: CareNetworkMembership
    own_goal: Goal
    service_goal: Goal
    step: GoalStep
    story_entry: StoryEntry
    note: Note
    crisis_version: CrisisPlanVersion
    episode: RestrictiveEpisode
    decision: SharedDecision

    def user(self, persona: Persona) -> User | None:
        return self.users.get(persona)


def build_world(today: date | None = None) -> World:
    today = today or timezone.localdate()
    system = Actor.system()
    long_ago = today - timedelta(days=400)
    hospital = organisations.create_organisation(
        system, code="hospital", name="Test Hospital", kind="hospital"
    )
    municipality = organisations.create_organisation(
        system, code="municipality", name="Test Municipality", kind="municipality"
    )
    ward = organisations.create_unit(system, hospital, code="ward", name="Ward A", kind="ward")
    other_ward = organisations.create_unit(
        system, hospital, code="other-ward", name="Ward B", kind="ward"
    )
    casework = organisations.create_unit(
        system, municipality, code="casework", name="Casework", kind="service"
    )

    users: dict[Persona, User] = {
        persona: create_user(persona.value, PASSWORD, display_name=persona.value.title())
        for persona in Persona
        if persona is not Persona.ANONYMOUS
    }
    organisations.assign_role(
        system, users[Persona.KEY_WORKER], ward, Role.KEY_WORKER, started_on=long_ago
    )
    organisations.assign_role(
        system, users[Persona.CASEWORKER], casework, Role.CASEWORKER, started_on=long_ago
    )
    organisations.assign_role(
        system, users[Persona.OTHER_UNIT_STAFF], other_ward, Role.NURSE, started_on=long_ago
    )
    organisations.assign_role(
        system, users[Persona.EXPIRED_MEMBER], casework, Role.CASEWORKER, started_on=long_ago
    )
    organisations.assign_role(
        system, users[Persona.ANALYST], ward, Role.ANALYST, started_on=long_ago
    )
    organisations.assign_role(
        system, users[Persona.RESEARCHER], ward, Role.RESEARCHER, started_on=long_ago
    )
    administration.make_administrator(system, users[Persona.ADMIN], hospital, started_on=long_ago)

    p1 = people.register_person(
        system, name="Pia Ejby", preferred_name="Pia", user=users[Persona.P1], languages=["da"]
    )
    p2 = people.register_person(system, name="Per Toft", user=users[Persona.P2])
    people.start_stay(
        system,
        p1,
        ward,
        kind=StayKind.INPATIENT,
        started_on=long_ago,
        next_review_on=today + timedelta(days=10),
    )
    people.start_stay(system, p2, other_ward, kind=StayKind.INPATIENT, started_on=long_ago)

    started = timezone.now() - timedelta(days=300)
    network.add_member(
        system,
        p1,
        users[Persona.KEY_WORKER],
        role=Role.KEY_WORKER,
        organisation=hospital,
        sections=list(Section),
        started_at=started,
    )
    caseworker_membership = network.add_member(
        system,
        p1,
        users[Persona.CASEWORKER],
        role=Role.CASEWORKER,
        organisation=municipality,
        sections=[Section.PLAN, Section.MEETINGS],
        started_at=started,
    )
    expired = network.add_member(
        system,
        p1,
        users[Persona.EXPIRED_MEMBER],
        role=Role.CASEWORKER,
        organisation=municipality,
        sections=list(Section),
        started_at=started,
    )
    network.end_membership(system, expired, at=timezone.now() - timedelta(days=1))
    family_membership = network.add_member(
        system,
        p1,
        users[Persona.FAMILY],
        role="family",
        sections=[Section.CRISIS_PLAN],
        started_at=started,
    )
    as_p1 = Actor(users[Persona.P1], "person")
    as_key_worker = Actor(users[Persona.KEY_WORKER], Role.KEY_WORKER)
    own_goal = plans.add_goal(as_p1, p1, text="Cook for my sister again", origin=Origin.PERSON)
    service_goal = plans.add_goal(
        as_key_worker, p1, text="Take medication every day", origin=Origin.CLINICAL
    )
    step = plans.add_step(as_p1, own_goal, text="Buy a recipe book", who_helps="Key worker")
    story_entry = plans.add_story_entry(
        as_p1, p1, kind="good_time", title="Summers by the lake", shared=True
    )
    note = relationship.write_note(
        as_key_worker, p1, talked_about="Plans for the weekend", person_words="I want to rest"
    )
    crisis_version = safety.save_version(
        as_key_worker, p1, {"early_signs": "Stops answering the phone", "what_helps": "Quiet room"}
    )
    episode = register.record_episode(
        as_key_worker,
        p1,
        ward,
        measure=MeasureType.objects.get(organisation=None, code="physical_holding"),
        started_at=timezone.now() - timedelta(days=4, hours=1),
        ended_at=timezone.now() - timedelta(days=4),
        reason="Hit out at another resident during an argument",
        alternatives_tried="Talking in a quiet room; offering a walk",
    )
    decision = register.record_decision(
        as_key_worker,
        p1,
        question="Change the morning medication?",
        options=[("Keep as it is", "Known", "Tired mornings"), ("Lower dose", "More energy", "")],
        advocate_offered=True,
    )
    # Building the world tells P1 of what staff wrote; tests count only what they cause.
    Notification.objects.all().delete()
    return World(
        hospital=hospital,
        municipality=municipality,
        ward=ward,
        other_ward=other_ward,
        casework=casework,
        p1=p1,
        p2=p2,
        users=users,
        family_membership=family_membership,
        caseworker_membership=caseworker_membership,
        own_goal=own_goal,
        service_goal=service_goal,
        step=step,
        story_entry=story_entry,
        note=note,
        crisis_version=crisis_version,
        episode=episode,
        decision=decision,
    )
