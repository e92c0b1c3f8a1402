"""The caseload and overview pages cost the same number of queries however many persons exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.demo.synthetic import build_synthetic_world
from alongside.network import services as network
from alongside.network.scopes import Section
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import StayKind
from alongside.relationship.models import ContactKind
from alongside.relationship.services import record_contact
from tests.personas import Persona, World

pytestmark = pytest.mark.usefixtures("sessions_not_touched")

# What a page may cost at most, whatever the size of the database. The caseload's 13th query is
# the navigation's one question whether the recovery-orientation survey is due for the viewer.
CASELOAD_MAX_QUERIES = 13
# The overview's network list asks the access layer (``access.who_can_see``) what each member
# really sees; plus the survey-due question and the count of open alerts for "What to do now".
OVERVIEW_MAX_QUERIES = 34


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_persons_to_ward(world: World, how_many: int) -> None:
    system = Actor.system()
    key_worker = world.users[Persona.KEY_WORKER]
    for index in range(how_many):
        person = people.register_person(system, name=f"Extra Person {index}")
        people.start_stay(
            system,
            person,
            world.ward,
            kind=StayKind.INPATIENT,
            started_on=timezone.localdate() - timedelta(days=index),
        )
        network.add_member(system, person, key_worker, role=Role.KEY_WORKER, sections=list(Section))
        record_contact(
            system,
            person,
            key_worker,
            kind=ContactKind.PHONE,
            occurred_at=timezone.now() - timedelta(days=index),
        )
        if index % 2 == 0:  # time together for some, so "Time together" has something to show
            record_contact(
                system,
                person,
                key_worker,
                kind=ContactKind.ACTIVITY,
                occurred_at=timezone.now() - timedelta(days=index + 1),
                duration_minutes=30,
                activity="A walk",
            )


def test_caseload_query_count_does_not_grow_with_persons(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.KEY_WORKER)
    url = reverse("workspace:caseload")
    small = _count(client, url)
    _add_persons_to_ward(world, 40)  # more than one page of the key worker's own caseload
    build_synthetic_world(300, seed=7)  # and many persons the key worker cannot see
    large = _count(client, url)
    assert large == small
    assert large <= CASELOAD_MAX_QUERIES
    response = client.get(url)
    assert "Time together" in response.content.decode()
    rows = {row.person.name: row for row in response.context["rows"]}
    assert rows["Extra Person 0"].days_since_together == 1  # a walk yesterday
    assert rows["Extra Person 1"].days_since_together is None  # phone calls only
    for sort in ("last_contact", "review"):
        assert _count(client, f"{url}?sort={sort}&page=2") == small


def test_overview_query_count_does_not_grow_with_persons(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.KEY_WORKER)
    url = reverse("workspace:person", args=[world.p1.pk])
    small = _count(client, url)
    _add_persons_to_ward(world, 20)
    build_synthetic_world(300, seed=8)
    for _ in range(5):  # and a longer history for this person
        record_contact(
            Actor.system(),
            world.p1,
            world.users[Persona.KEY_WORKER],
            kind=ContactKind.ACTIVITY,
            occurred_at=timezone.now(),
        )
    large = _count(client, url)
    assert large == small
    assert large <= OVERVIEW_MAX_QUERIES
