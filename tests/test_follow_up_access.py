"""After discharge the discharging unit keeps read access for the follow-up period (default 30
days), and the person's network page says so; it never writes on that basis."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside import access
from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.network.scopes import Section
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people import services as people
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = pytest.mark.django_db


def ward_nurse(world: World) -> User:
    nurse = create_user("nurse", PASSWORD, display_name="Nina Nurse")
    organisations.assign_role(
        Actor.system(),
        nurse,
        world.ward,
        Role.NURSE,
        started_on=timezone.localdate() - timedelta(days=100),
    )
    return nurse


def discharge(world: World, days_ago: int) -> None:
    stay = world.p1.stays.get()
    people.end_stay(Actor.system(), stay, ended_on=timezone.localdate() - timedelta(days=days_ago))


def test_the_ward_reads_for_30_days_after_discharge_and_never_writes(world: World) -> None:
    nurse = ward_nurse(world)
    discharge(world, days_ago=2)
    found = access.resolve_access(nurse, world.p1.pk)
    assert found is not None
    assert found.basis is access.Basis.FOLLOW_UP
    assert found.sections == frozenset(Section)
    client = Client()
    client.force_login(nurse)
    notes = reverse("relationship:notes", kwargs={"person_id": world.p1.pk})
    assert client.get(notes).status_code == 200
    step = reverse(
        "plans:step_new", kwargs={"person_id": world.p1.pk, "goal_id": world.own_goal.pk}
    )
    assert client.post(step, {"text": "Call the GP"}).status_code == 404
    assert world.own_goal.steps.filter(text="Call the GP").count() == 0
    # Lists agree with resolve_access.
    for section in Section:
        assert access.visible_persons(nurse, section).filter(pk=world.p1.pk).exists()


def test_the_follow_up_ends_after_the_configured_days(world: World, settings: object) -> None:
    nurse = ward_nurse(world)
    discharge(world, days_ago=31)
    assert access.resolve_access(nurse, world.p1.pk) is None
    assert not access.visible_persons(nurse, Section.PLAN).filter(pk=world.p1.pk).exists()
    settings.FOLLOW_UP_DAYS = 45  # type: ignore[attr-defined]
    assert access.resolve_access(nurse, world.p1.pk) is not None


def test_her_network_page_says_who_follows_up_and_until_when(
    world: World, client_as: ClientAs
) -> None:
    nurse = ward_nurse(world)
    discharge(world, days_ago=2)
    response = client_as(Persona.P1).get(
        reverse("network:network", kwargs={"person_id": world.p1.pk})
    )
    shown = " ".join(html.unescape(response.content.decode()).split())
    assert f'data-user="{nurse.pk}"' in shown
    assert "follows up after your stay, until" in shown
    assert "(reading only): Nurse, Ward A" in shown
    # The key worker is in her network with every section: that is what is recorded.
    key_worker = access.resolve_access(world.users[Persona.KEY_WORKER], world.p1.pk)
    assert key_worker is not None
    assert key_worker.basis is access.Basis.NETWORK
