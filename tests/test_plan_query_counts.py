"""The plan page and the caseload cost a fixed number of queries: the same for a new plan as for
500 plan entries, and the same with 10,000 more persons in the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.demo.synthetic import build_synthetic_world
from alongside.organisations.models import Role
from alongside.people.models import Person
from alongside.plans import services
from alongside.plans.models import Origin, Stance
from tests.personas import Persona, World

pytestmark = pytest.mark.usefixtures("sessions_not_touched")

# What matters is that the count does not grow with the plan or the database (asserted below);
# this ceiling also covers the fixed per-request work: session, sign-in checks, navigation.
PLAN_MAX_QUERIES = 24


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add_entries(world: World, how_many: int) -> int:
    """Add plan entries to P1 through the services: goals, steps, check-ins, stances, story."""
    me = Actor(world.users[Persona.P1], "person")
    staff = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    added = 0
    index = 0
    while added < how_many:
        own = services.add_goal(me, world.p1, text=f"My goal {index}", origin=Origin.PERSON)
        other = services.add_goal(
            staff, world.p1, text=f"Team goal {index}", origin=Origin.CLINICAL
        )
        services.add_step(me, own, text=f"Step {index}", who_helps="Kim")
        services.check_in(me, own, score=index % 11)
        services.record_stance(me, other, stance=Stance.NOT_NOW, words="Later")
        services.link_goal(staff, other, [own])
        services.add_story_entry(me, world.p1, kind="interest", title=f"Story {index}", shared=True)
        services.add_strength(me, world.p1, kind="personal", text=f"Strength {index}")
        added += 7
        index += 1
    return added


def test_plan_and_caseload_queries_stay_fixed_with_500_entries_and_10000_persons(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    person, staff = client_as(Persona.P1), client_as(Persona.KEY_WORKER)
    plan = reverse("plans:plan", kwargs={"person_id": world.p1.pk})
    side_by_side = reverse("plans:side_by_side", kwargs={"person_id": world.p1.pk})
    caseload = reverse("workspace:caseload")
    before = {
        "plan as person": _queries(person, plan),
        "plan as staff": _queries(staff, plan),
        "side by side": _queries(staff, side_by_side),
        "caseload": _queries(staff, caseload),
    }
    assert _add_entries(world, 500) >= 500
    build_synthetic_world(10_000, seed=11)
    assert Person.objects.count() > 10_000
    after = {
        "plan as person": _queries(person, plan),
        "plan as staff": _queries(staff, plan),
        "side by side": _queries(staff, side_by_side),
        "caseload": _queries(staff, caseload),
    }
    assert after == before
    assert max(after.values()) <= PLAN_MAX_QUERIES
    page = person.get(plan).content.decode()
    assert "My goal 70" in page
    assert "Story 70" in page
