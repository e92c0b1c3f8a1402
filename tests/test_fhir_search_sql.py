"""FHIR search runs in SQL: a page costs a fixed number of queries however many persons the user
sees, only the page asked for is built, paging runs across a type's sources (recovery plans,
then crisis plans) and across the several Observations of one response, and the date, status,
category and _lastUpdated parameters filter in the database as they did in Python."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.fhir import resources as fhir
from alongside.measures import services as measures
from alongside.measures.models import Instrument
from alongside.measures.queries import current_version
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import StayKind
from alongside.plans import services as plans
from alongside.plans.models import Origin
from tests.personas import Persona, World
from tests.test_fhir_api import call, entries, token_for

P = Persona
PAGE = "CarePlan?category=recovery&_include=CarePlan:goal&_count=100"


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """The test database, set up before the personas world is asked for."""


def more_persons(world: World, how_many: int) -> None:
    """Persons on the key worker's ward, two goals each (written through the services)."""
    system = Actor.system()
    staff = Actor(world.users[P.KEY_WORKER], Role.KEY_WORKER)
    for number in range(how_many):
        person = people.register_person(system, name=f"Ward person {number}")
        people.start_stay(
            system,
            person,
            world.ward,
            kind=StayKind.INPATIENT,
            started_on=timezone.localdate() - timedelta(days=3),
        )
        for goal in (1, 2):
            plans.add_goal(staff, person, text=f"Goal {goal}", origin=Origin.CLINICAL)


def queries_for(token: str, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = call(token, "get", path)
    assert answer.status_code == 200, answer.content
    return len(captured.captured_queries)


def test_a_care_plan_page_costs_the_same_queries_for_one_or_thirty_persons(world: World) -> None:
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    call(token, "get", PAGE)  # the installation's namespace row, made once
    few = queries_for(token, PAGE)
    more_persons(world, 30)
    many = queries_for(token, PAGE)
    body = call(token, "get", PAGE).json()
    assert sum(e["search"]["mode"] == "match" for e in body["entry"]) == 31
    assert sum(e["search"]["mode"] == "include" for e in body["entry"]) == 62
    assert many == few
    assert many <= 20


def test_the_total_comes_with_the_page_and_the_goals_with_the_plans(world: World) -> None:
    """One query finds the page and counts every match (no separate COUNT, which cost as much
    as the page at 100,000 persons); the included goals are not read a second time; the total
    is still right on a page past the end."""
    more_persons(world, 4)
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    call(token, "get", PAGE)
    with CaptureQueriesContext(connection) as captured:
        body = call(token, "get", PAGE).json()
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in sql if "COUNT(*) AS" in s], sql
    assert len([s for s in sql if 'FROM "plans_goal"' in s]) == 1, sql
    assert body["total"] == 5
    plans = [e["resource"] for e in body["entry"] if e["search"]["mode"] == "match"]
    named = [g["reference"] for plan in plans for g in plan.get("goal", [])]
    included = [
        f"Goal/{e['resource']['id']}" for e in body["entry"] if e["search"]["mode"] == "include"
    ]
    assert len(named) >= 8
    assert sorted(included) == sorted(named)
    past = call(token, "get", "CarePlan?category=recovery&_count=2&_offset=10").json()
    assert past["total"] == 5
    assert "entry" not in past


def test_only_the_page_asked_for_is_built(world: World, monkeypatch: Any) -> None:
    more_persons(world, 12)
    built: list[str] = []
    original = fhir.recovery_plan

    def counting(*args: Any) -> dict[str, Any]:
        resource = original(*args)
        built.append(resource["id"])
        return resource

    monkeypatch.setattr(fhir, "recovery_plan", counting)
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    body = call(token, "get", "CarePlan?category=recovery&_count=5&_offset=5").json()
    assert body["total"] == 13
    assert len(built) == 5
    assert [e["resource"]["id"] for e in body["entry"]] == built
    assert [link["relation"] for link in body["link"]] == ["self", "next"]
    # The count alone builds nothing.
    built.clear()
    summary = call(token, "get", "CarePlan?_summary=count").json()
    assert summary["total"] == 14  # 13 recovery plans and P1's crisis plan
    assert "entry" not in summary
    assert built == []


def test_paging_runs_from_recovery_plans_into_crisis_plans(world: World) -> None:
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    first = call(token, "get", "CarePlan?_count=1").json()
    assert first["total"] == 2
    assert [e["resource"]["id"] for e in first["entry"]] == [f"recovery-{world.p1.fhir_id}"]
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = call(token, "get", following.split("testserver", 1)[1]).json()
    assert [e["resource"]["id"] for e in second["entry"]] == [f"crisis-{world.p1.fhir_id}"]
    assert [link["relation"] for link in second["link"]] == ["self"]
    beyond = call(token, "get", "CarePlan?_count=1&_offset=2").json()
    assert beyond["total"] == 2
    assert "entry" not in beyond


def test_observations_page_across_the_scores_of_several_responses(world: World) -> None:
    phq = current_version(Instrument.objects.get(code="phq9"))
    assert phq is not None
    phq.wording_loaded = True
    phq.save()
    assert world.p1.user is not None
    for answer in ("1", "2"):
        measures.submit_response(
            Actor(world.p1.user, "person"), world.p1, phq, {f"q{n}": answer for n in range(1, 10)}
        )
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    everything = entries(call(token, "get", "Observation?_count=200"))
    assert len(everything) >= 2
    paged: list[str] = []
    for offset in range(len(everything) + 1):
        body = call(token, "get", f"Observation?_count=1&_offset={offset}").json()
        assert body["total"] == len(everything)
        paged += [e["resource"]["id"] for e in body.get("entry", [])]
    assert paged == [o["id"] for o in everything]
    one = everything[-1]["id"]
    found = call(token, "get", f"Observation?_id={one}").json()
    assert found["total"] == 1
    assert [e["resource"]["id"] for e in found["entry"]] == [one]
    assert call(token, "get", f"Observation/{one}").status_code == 200


def test_filters_in_sql_answer_as_the_resources_read(world: World) -> None:
    token = token_for(world.users[P.KEY_WORKER], "user/*.read")
    year = str(timezone.now().year)
    stays = entries(call(token, "get", f"Encounter?date=le{year}&status=in-progress"))
    assert [s["subject"]["reference"] for s in stays] == [f"Patient/{world.p1.fhir_id}"]
    assert entries(call(token, "get", "Encounter?status=finished")) == []
    assert entries(call(token, "get", "Encounter?date=gt2999")) == []
    consents = entries(call(token, "get", "Consent?status=inactive"))
    assert len(consents) == 1  # the membership that ended yesterday
    assert all(c["status"] == "inactive" for c in consents)
    assert len(entries(call(token, "get", "Consent?category=http://loinc.org|59284-0"))) == 4
    assert entries(call(token, "get", "Consent?category=other-system|59284-0")) == []
    updated = entries(call(token, "get", f"CarePlan?_lastUpdated=ge{year}"))
    assert {r["category"][0]["coding"][0]["code"] for r in updated} == {"recovery", "crisis"}
    crisis = entries(call(token, "get", "CarePlan?category=crisis"))
    assert [r["id"] for r in crisis] == [f"crisis-{world.p1.fhir_id}"]
    documents = entries(call(token, "get", "DocumentReference?category=recovery"))
    assert len(documents) == 1
    read = call(token, "get", f"DocumentReference/{documents[0]['id']}")
    assert read.status_code == 200
    assert call(token, "get", "DocumentReference/not-an-id").status_code == 404
