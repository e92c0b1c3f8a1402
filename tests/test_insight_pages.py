"""The insight pages for a team leader, a service manager and an analyst; files; no person data.

Uses tests/insight_world.py (March 2026, wards North and South) with its rollups refreshed.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pyarrow.parquet as pq
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.insight.models import InsightSharing
from alongside.insight.services import refresh
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.insight_world import MARCH, InsightWorld, build_insight_world

pytestmark = pytest.mark.django_db
# The dashboard shows the 24 months up to this one.
UNTIL = {"until": "2026-04"}


@pytest.fixture
def insight_world() -> InsightWorld:
    world = build_insight_world()
    refresh([date(2026, 2, 1), MARCH])
    return world


def _user(world: InsightWorld, name: str, role: Role, unit_name: str = "north") -> User:
    user = create_user(name, "correct-horse-battery", display_name=name.title())
    unit = world.north if unit_name == "north" else world.south
    organisations.assign_role(Actor.system(), user, unit, role, started_on=date(2025, 1, 1))
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_team_leader_sees_their_unit_only(insight_world: InsightWorld) -> None:
    client = _client(_user(insight_world, "leader", Role.TEAM_LEADER))
    page = client.get(reverse("insight:unit", kwargs={"pk": insight_world.north.pk}), UNTIL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Persons with a goal in their own words" in text
    assert "Inspiring hope" in text or "hope" in text.lower()
    assert "Person A" not in text
    assert (
        client.get(reverse("insight:unit", kwargs={"pk": insight_world.south.pk})).status_code
        == 404
    )
    organisation = reverse("insight:organisation", kwargs={"pk": insight_world.organisation.pk})
    assert client.get(organisation).status_code == 404
    assert client.get(reverse("insight:all")).status_code == 404


def test_the_organisation_can_share_every_unit_with_team_leaders(
    insight_world: InsightWorld,
) -> None:
    leader = _client(_user(insight_world, "leader", Role.TEAM_LEADER))
    manager = _client(_user(insight_world, "manager", Role.SERVICE_MANAGER, "south"))
    sharing = reverse("insight:sharing", kwargs={"pk": insight_world.organisation.pk})
    assert leader.post(sharing, {"share": "on"}).status_code == 404  # a team leader cannot
    assert manager.post(sharing, {"share": "on"}).status_code == 302
    assert InsightSharing.objects.get(
        organisation=insight_world.organisation
    ).team_leaders_see_organisation
    south = reverse("insight:unit", kwargs={"pk": insight_world.south.pk})
    assert leader.get(south).status_code == 200
    manager.post(sharing, {})  # and back
    assert leader.get(south).status_code == 404


def test_service_manager_sees_units_side_by_side_with_small_numbers_hidden(
    insight_world: InsightWorld,
) -> None:
    client = _client(_user(insight_world, "manager", Role.SERVICE_MANAGER, "south"))
    page = client.get(
        reverse("insight:organisation", kwargs={"pk": insight_world.organisation.pk}), UNTIL
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "North" in text
    assert "South" in text
    assert "fewer than 5" in text
    assert "<svg" in text
    assert "Show the numbers as a table" in text


def test_csv_applies_primary_and_secondary_suppression(insight_world: InsightWorld) -> None:
    client = _client(_user(insight_world, "manager", Role.SERVICE_MANAGER))
    url = reverse(
        "insight:organisation-table", kwargs={"pk": insight_world.organisation.pk, "fmt": "csv"}
    )
    response = client.get(url, UNTIL)
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    march = {
        r["member"]: r
        for r in rows
        if r["indicator"] == "personal.own-goal" and r["period"] == "2026-03"
    }
    # Denominators: North 6, South 2 (hidden: under 5), total 8 shown. 8 - 6 would give South's
    # 2 back, so North's 6 is hidden too (secondary).
    assert march["South"]["denominator"] == ""
    assert march["South"]["hidden"] == "small"
    assert march["North"]["denominator"] == ""
    assert "secondary" in march["North"]["hidden"]
    assert march["total"]["denominator"] == "8.0"
    # Numerators: North 4 and South 0 both small; the total 4 is small too.
    assert march["total"]["numerator"] == ""
    # A value is never shown beside a hidden count.
    assert all(r["value"] == "" for r in rows if r["hidden"])


def test_parquet_has_the_same_rows_as_csv(insight_world: InsightWorld) -> None:
    client = _client(_user(insight_world, "leader", Role.TEAM_LEADER))
    kwargs = {"pk": insight_world.north.pk}
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("insight:unit-table", kwargs={**kwargs, "fmt": "csv"}), UNTIL
                ).content.decode()
            )
        )
    )
    response = client.get(reverse("insight:unit-table", kwargs={**kwargs, "fmt": "parquet"}), UNTIL)
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == len(csv_rows) > 0
    shown = [r for r in table.to_pylist() if r["indicator"] == "organisation.restrictive-per-1000"]
    # North, March: 3 measures (under 5, hidden) in 186 bed-days.
    march = next(r for r in shown if r["period"] == "2026-03")
    assert march["numerator"] is None
    assert march["denominator"] == 186
    assert march["value"] is None
    assert (
        client.get(reverse("insight:unit-table", kwargs={**kwargs, "fmt": "xlsx"})).status_code
        == 404
    )


def test_the_dashboard_reads_rollups_not_person_tables(insight_world: InsightWorld) -> None:
    client = _client(_user(insight_world, "manager", Role.SERVICE_MANAGER))
    url = reverse("insight:organisation", kwargs={"pk": insight_world.organisation.pk})
    client.get(url, UNTIL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, UNTIL).status_code == 200
    # The page shell asks whether the viewer is a person themself; nothing else reads persons.
    touched = " ".join(
        q["sql"] for q in queries.captured_queries if '"people_person"."user_id" =' not in q["sql"]
    )
    for table in ("people_", "plans_", "relationship_", "safety_", "reviews_", "discharge_"):
        assert table not in touched, table
    assert len(queries.captured_queries) < 25


def test_start_page_lists_what_each_role_may_open(insight_world: InsightWorld) -> None:
    leader = _client(_user(insight_world, "leader", Role.TEAM_LEADER))
    text = leader.get(reverse("insight:home")).content.decode()
    assert "Unit: North" in text
    assert "South" not in text
    key_worker = _client(insight_world.staff)
    assert key_worker.get(reverse("insight:home")).status_code == 404


def test_navigation_shows_insight_to_team_leaders_only(insight_world: InsightWorld) -> None:
    leader = _client(_user(insight_world, "leader", Role.TEAM_LEADER))
    assert reverse("insight:home") in leader.get(reverse("workspace:caseload")).content.decode()
    key_worker = _client(insight_world.staff)
    assert (
        reverse("insight:home")
        not in key_worker.get(reverse("workspace:caseload")).content.decode()
    )
