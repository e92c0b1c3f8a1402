"""The access layer's rules, one relationship at a time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from alongside import access
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.core.roles import kinds_of
from alongside.network import services as network
from alongside.network.scopes import ALL_SECTIONS, Section
from alongside.organisations import services as organisations
from alongside.organisations.models import CARE_ROLES, Role, StaffRole
from alongside.people import services as people
from alongside.people.models import Person
from tests.personas import Persona, World


def _request_as(world: World, persona: Persona) -> object:
    request = RequestFactory().get("/")
    request.user = world.users[persona]
    return request


def test_person_sees_everything_about_themself(world: World) -> None:
    grant = access.resolve_access(world.users[Persona.P1], world.p1.pk)
    assert grant is not None
    assert grant.basis is access.Basis.SELF
    assert grant.sections == ALL_SECTIONS


def test_caseworker_sees_only_consented_sections(world: World) -> None:
    grant = access.resolve_access(world.users[Persona.CASEWORKER], world.p1.pk)
    assert grant is not None
    assert grant.basis is access.Basis.NETWORK
    assert grant.sections == {Section.PLAN, Section.MEETINGS}
    assert grant.role == Role.CASEWORKER


def test_family_member_with_crisis_scope_sees_crisis_plan_only(world: World) -> None:
    grant = access.resolve_access(world.users[Persona.FAMILY], world.p1.pk)
    assert grant is not None
    assert grant.sections == {Section.CRISIS_PLAN}
    request = _request_as(world, Persona.FAMILY)
    with pytest.raises(Http404):
        access.open_person(request, world.p1.pk, Section.PLAN, why="test")  # type: ignore[arg-type]
    opened = access.open_person(request, world.p1.pk, Section.CRISIS_PLAN, why="test")  # type: ignore[arg-type]
    assert opened.person == world.p1


def test_ending_a_membership_removes_access_at_once(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.CASEWORKER)
    url = reverse("workspace:person", args=[world.p1.pk])
    assert client.get(url).status_code == 200
    network.end_membership(Actor.system(), world.caseworker_membership)
    assert client.get(url).status_code == 404


def test_membership_not_yet_started_gives_no_access(world: World) -> None:
    stranger = world.users[Persona.OTHER_UNIT_STAFF]
    network.add_member(
        Actor.system(),
        world.p1,
        stranger,
        role=Role.NURSE,
        sections=[Section.PLAN],
        started_at=timezone.now() + timedelta(days=1),
    )
    assert access.resolve_access(stranger, world.p1.pk) is None


def test_unit_role_gives_access_only_during_an_active_stay_and_the_follow_up(
    world: World,
) -> None:
    nurse = world.users[Persona.OTHER_UNIT_STAFF]  # a nurse on the other ward, where P2 stays
    assert access.resolve_access(nurse, world.p2.pk) is not None
    stay = world.p2.stays.get()
    people.end_stay(Actor.system(), stay, ended_on=timezone.localdate() - timedelta(days=31))
    assert access.resolve_access(nurse, world.p2.pk) is None


def test_ended_staff_role_gives_no_access(world: World) -> None:
    nurse = world.users[Persona.OTHER_UNIT_STAFF]
    role = StaffRole.objects.get(user=nurse)
    organisations.end_role(Actor.system(), role, ended_on=timezone.localdate())
    assert access.resolve_access(nurse, world.p2.pk) is None


def test_analyst_role_in_the_ward_gives_no_person_access(world: World) -> None:
    assert access.resolve_access(world.users[Persona.ANALYST], world.p1.pk) is None


def test_researcher_role_in_the_ward_gives_no_person_access(world: World) -> None:
    """A researcher works on P1's own ward, yet it is not a care role: no person, no section."""
    researcher = world.users[Persona.RESEARCHER]
    assert Role.RESEARCHER not in CARE_ROLES
    for person in (world.p1, world.p2):
        assert access.resolve_access(researcher, person.pk) is None
    for section in Section:
        assert list(access.visible_persons(researcher, section)) == []
    assert researcher.pk not in {viewer.user.pk for viewer in access.who_can_see(world.p1)}
    assert not kinds_of(researcher).reads_insight
    assert kinds_of(researcher).is_staff_member


def test_missing_and_forbidden_persons_look_the_same(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.OTHER_UNIT_STAFF)
    forbidden = client.get(reverse("workspace:person", args=[world.p1.pk]))
    missing = client.get(reverse("workspace:person", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404

    def without_tokens(body: bytes) -> str:
        return re.sub(r'name="(csrfmiddlewaretoken|next)" value="[^"]+"', "", body.decode())

    assert without_tokens(forbidden.content) == without_tokens(missing.content)


def test_visible_persons_matches_resolve_access_for_every_persona(world: World) -> None:
    """The list query and the single-person check must agree, for every persona and section."""
    for persona, user in world.users.items():
        for section in Section:
            listed = set(access.visible_persons(user, section, include_self=True))
            granted = {
                person
                for person in Person.objects.all()
                if (grant := access.resolve_access(user, person.pk)) and grant.allows(section)
            }
            assert listed == granted, (persona, section)


def test_open_person_audits_the_read_with_its_basis(world: World) -> None:
    request = _request_as(world, Persona.CASEWORKER)
    access.open_person(request, world.p1.pk, Section.PLAN, why="overview")  # type: ignore[arg-type]
    event = AuditEvent.objects.filter(action="read").latest("id")
    assert event.person_id == world.p1.pk
    assert event.actor_id == world.users[Persona.CASEWORKER].pk
    assert event.role == Role.CASEWORKER
    assert "network" in event.why
    assert "overview" in event.why


def test_denied_read_writes_no_audit_row(world: World) -> None:
    request = _request_as(world, Persona.P2)
    before = AuditEvent.objects.count()
    with pytest.raises(Http404):
        access.open_person(request, world.p1.pk, Section.PLAN, why="overview")  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == before


def test_open_record_checks_the_owning_person(world: World) -> None:
    from alongside.relationship.models import Contact, ContactKind
    from alongside.relationship.services import record_contact

    contact = record_contact(
        Actor.system(),
        world.p1,
        world.users[Persona.KEY_WORKER],
        kind=ContactKind.CONVERSATION,
        occurred_at=timezone.now(),
    )
    allowed = _request_as(world, Persona.KEY_WORKER)
    obj, grant = access.open_record(
        allowed, Contact.objects.all(), contact.pk, Section.NOTES, why="t"
    )  # type: ignore[arg-type]
    assert obj == contact
    assert grant.person == world.p1
    for persona in (Persona.CASEWORKER, Persona.P2, Persona.FAMILY):
        with pytest.raises(Http404):
            access.open_record(
                _request_as(world, persona),  # type: ignore[arg-type]
                Contact.objects.all(),
                contact.pk,
                Section.NOTES,
                why="t",
            )


def test_supporter_sees_whom_they_support(world: World) -> None:
    memberships = access.supporter_memberships(world.users[Persona.FAMILY])
    assert [m.person for m in memberships] == [world.p1]
    assert access.supporter_memberships(world.users[Persona.CASEWORKER]) == []
