"""The handover document Bundle against FHIR R4 with the independent validator (JSON Schema from
the R4 StructureDefinitions, every FHIRPath invariant, fhir.resources, our extensions), for a
person with goals and a network and for one with neither; and its ids are the installation's."""

from __future__ import annotations

import json

import pytest

from alongside.audit.log import Actor
from alongside.discharge import handover
from alongside.discharge.defaults import sync_default_items
from alongside.discharge.fhir import build_bundle, export_bundle
from alongside.discharge.queries import focus_stay
from alongside.organisations.models import Role
from tests import fhir_validator
from tests.personas import Persona, World


@pytest.fixture(autouse=True)
def _default_items(db: None) -> None:
    sync_default_items()


def _approved(world: World, persona: Persona, staff: Persona, role: str, comment: str = ""):  # type: ignore[no-untyped-def]
    person = world.p1 if persona is Persona.P1 else world.p2
    stay = focus_stay(person)
    assert stay is not None
    summary = handover.draft_summary(Actor(world.users[staff], role), stay)
    return handover.approve(
        Actor(world.users[persona], "person"),
        summary,
        version=summary.version,
        comment_text=comment,
    )


def test_a_person_with_goals_and_a_network_gets_a_valid_document(world: World) -> None:
    data = json.loads(
        export_bundle(_approved(world, Persona.P1, Persona.KEY_WORKER, Role.KEY_WORKER, "Yes"))
    )
    report = fhir_validator.assert_valid(data)
    # The invariants that matter here were actually evaluated.
    assert {
        "bdl-7",
        "bdl-9",
        "bdl-10",
        "bdl-11",
        "ele-1",
        "ext-1",
        "cmp-1",
        "ref-1",
    } <= report.checked
    assert any(e["resource"]["resourceType"] == "Goal" for e in data["entry"])


def test_a_person_without_goals_or_network_gets_a_valid_document(world: World) -> None:
    assert not world.p2.goals.exists()
    assert not world.p2.network.exists()
    data = build_bundle(_approved(world, Persona.P2, Persona.OTHER_UNIT_STAFF, Role.NURSE))
    fhir_validator.assert_valid(data)
    text = json.dumps(data)
    assert "[]" not in text
    types = [e["resource"]["resourceType"] for e in data["entry"]]
    assert "Goal" not in types
    assert "CareTeam" not in types
    assert types[0] == "Composition"


def test_fullurls_are_unique_and_not_database_keys(world: World) -> None:
    first = build_bundle(_approved(world, Persona.P1, Persona.KEY_WORKER, Role.KEY_WORKER))
    second = build_bundle(_approved(world, Persona.P2, Persona.OTHER_UNIT_STAFF, Role.NURSE))
    # Both stays are in the same hospital: the Organization is the one resource they share.
    urls = [
        e["fullUrl"]
        for b in (first, second)
        for e in b["entry"]
        if e["resource"]["resourceType"] != "Organization"
    ]
    assert len(urls) == len(set(urls))
    assert f"urn:uuid:{world.p1.fhir_id}" in urls


def test_the_validator_catches_what_the_old_bundle_got_wrong(world: World) -> None:
    data = build_bundle(_approved(world, Persona.P2, Persona.OTHER_UNIT_STAFF, Role.NURSE))
    plan = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "CarePlan")
    plan["goal"] = []
    errors = fhir_validator.validate(data)
    assert any("non-empty" in error or "goal" in error for error in errors), errors
    data["entry"].append(dict(data["entry"][1]))  # the same fullUrl twice
    assert any("bdl-7" in error for error in fhir_validator.validate(data))
    data["entry"] = data["entry"][1:]  # no Composition first
    assert any("bdl-11" in error for error in fhir_validator.validate(data))
