"""List pages find their persons through indexes: no sequential scan of the persons table.

PostgreSQL only (EXPLAIN). The personas world is tiny, and on a tiny table a sequential scan is
the cheapest plan, so the test turns sequential scans off for its transaction: the planner then
still chooses one only where no index can answer, which is what ``id IN (a) OR id IN (b)`` did.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from alongside import access
from alongside.network.scopes import Section
from alongside.workspace import queries
from tests.personas import Persona, World


def _plan(queryset: QuerySet[Any]) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgresql(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")


@pytest.mark.parametrize("persona", [Persona.KEY_WORKER, Persona.CASEWORKER, Persona.P1])
def test_caseload_query_uses_indexes_not_a_scan_of_every_person(
    world: World, postgresql: None, persona: Persona
) -> None:
    user = world.user(persona)
    assert user is not None
    caseload = queries.caseload(user)
    for shape in (caseload[:50], caseload.order_by().values("pk")):
        plan = _plan(shape)
        assert "people_person" in plan
        assert "Seq Scan on people_person" not in plan, plan


@pytest.mark.parametrize("section", list(Section))
def test_visible_persons_uses_indexes_for_every_section(
    world: World, postgresql: None, section: Section
) -> None:
    user = world.user(Persona.KEY_WORKER)
    assert user is not None
    for include_self in (False, True):
        plan = _plan(access.visible_persons(user, section, include_self=include_self))
        assert "Seq Scan on people_person" not in plan, plan
