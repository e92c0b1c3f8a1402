"""The staff view of a person's network says what each member can actually see, read from the
access layer (the same source as her own network page), not only what the membership names."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside import access
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.network import services as network
from alongside.network.queries import active_members
from alongside.network.scopes import Section
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = pytest.mark.django_db


def ward_nurse_in_network(world: World) -> None:
    """A nurse on her ward whom she put in her network with the crisis plan only."""
    nurse = create_user("nina", PASSWORD, display_name="Nina Nurse")
    organisations.assign_role(
        Actor.system(), nurse, world.ward, Role.NURSE, started_on=timezone.localdate()
    )
    network.add_member(
        Actor.system(),
        world.p1,
        nurse,
        role=Role.NURSE,
        organisation=world.hospital,
        sections=[Section.CRISIS_PLAN],
        started_at=timezone.now(),
    )


def test_each_member_is_listed_with_what_resolve_access_gives_them(world: World) -> None:
    ward_nurse_in_network(world)
    members = active_members(world.p1)
    assert len(members) >= 3
    from alongside.network.models import CareNetworkMembership

    for membership in CareNetworkMembership.objects.active_at(timezone.now()).filter(
        person=world.p1
    ):
        shown = next(m for m in members if m.name == membership.member.shown_name)
        granted = access.resolve_access(membership.member, world.p1.pk)
        expected = set(granted.sections) if granted is not None else set()
        assert set(shown.sections) == expected, membership.member.shown_name
        assert shown.chosen == list(membership.sections)
    nurse = next(m for m in members if m.name == "Nina Nurse")
    assert nurse.chosen == [Section.CRISIS_PLAN]
    assert nurse.sections == list(Section)
    assert nurse.sees_more_than_chosen
    assert any("works on the ward" in reason for reason in nurse.also)
    caseworker = next(m for m in members if m.name == world.caseworker_membership.member.shown_name)
    assert not caseworker.sees_more_than_chosen


def test_the_overview_shows_what_the_ward_nurse_really_sees(
    world: World, client_as: ClientAs
) -> None:
    ward_nurse_in_network(world)
    page = client_as(Persona.KEY_WORKER).get(
        reverse("workspace:person", kwargs={"person_id": world.p1.pk})
    )
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    card = text[text.index("Nina Nurse") :]
    card = card[: card.index("Since")]
    for section in Section:
        assert str(section.label) in card
    assert "More than the network gives (Crisis plan), because: works on the ward" in card


def test_a_member_with_nothing_left_to_see_is_not_shown_as_seeing_it(world: World) -> None:
    # The expired member is not active; the family member sees exactly what she chose.
    family = next(
        m for m in active_members(world.p1) if m.name == world.family_membership.member.shown_name
    )
    assert family.sections == list(world.family_membership.sections)
