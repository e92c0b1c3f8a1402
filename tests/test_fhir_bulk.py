"""Bulk Data $export: analysts only, asynchronous kick-off and status polling, NDJSON that
validates line by line, pseudonymised (no names, identifiers or API ids), system and Group level."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests import fhir_validator
from tests.personas import Persona, World
from tests.test_fhir_api import answered, token_for

P = Persona


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """The test database, set up before the personas world is asked for."""


def fetch(token: str, url: str, **headers: str) -> object:
    path = url.split("testserver", 1)[-1]
    extra = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}", **extra)


def export(token: str, path: str) -> dict[str, list[dict[str, object]]]:
    kick = fetch(token, "/fhir/R4/" + path, PREFER="respond-async")
    assert kick.status_code == 202, kick.content  # type: ignore[attr-defined]
    status = fetch(token, kick["Content-Location"])  # type: ignore[index]
    assert status.status_code == 200  # type: ignore[attr-defined]
    manifest = json.loads(status.content)  # type: ignore[attr-defined]
    assert manifest["requiresAccessToken"] is True
    out: dict[str, list[dict[str, object]]] = {}
    for item in manifest["output"]:
        body = fetch(token, item["url"])
        assert body["Content-Type"] == "application/fhir+ndjson"  # type: ignore[index]
        lines = body.content.decode().splitlines()  # type: ignore[attr-defined]
        out[item["type"]] = [json.loads(line) for line in lines]
    return out


def test_a_system_export_validates_and_is_pseudonymised(world: World) -> None:
    answered(world)
    token = token_for(world.users[P.ANALYST], "system/*.read")
    data = export(token, "$export")
    assert set(data) == {"Patient", "Encounter", "Observation"}
    for resources in data.values():
        for resource in resources:
            fhir_validator.assert_valid(resource)
    text = json.dumps(data)
    for secret in ("Pia", "Ejby", "Per Toft", str(world.p1.fhir_id), str(world.p2.fhir_id)):
        assert secret not in text
    patients = {p["id"] for p in data["Patient"]}
    assert {
        o["subject"]["reference"].removeprefix("Patient/") for o in data["Observation"]
    } <= patients
    assert any(c["code"] == "44261-6" for o in data["Observation"] for c in o["code"]["coding"])


def test_a_group_export_holds_the_organisations_persons_only(world: World) -> None:
    token = token_for(world.users[P.ANALYST], "system/*.read")
    everyone = export(token, "$export?_type=Patient")["Patient"]
    in_hospital = export(token, f"Group/{world.hospital.fhir_id}/$export?_type=Patient")["Patient"]
    municipal = export(token, f"Group/{world.municipality.fhir_id}/$export?_type=Patient")
    assert len(in_hospital) == 2 <= len(everyone)
    assert municipal["Patient"] == []


@pytest.mark.parametrize("persona", [P.KEY_WORKER, P.CASEWORKER, P.P1, P.FAMILY, P.RESEARCHER])
def test_only_analysts_export(world: World, persona: Persona) -> None:
    token = token_for(world.users[persona], "user/*.read system/*.read")
    answer = fetch(token, "/fhir/R4/$export", PREFER="respond-async")
    assert answer.status_code == 404  # type: ignore[attr-defined]


def test_export_needs_async_and_known_types(world: World) -> None:
    token = token_for(world.users[P.ANALYST], "system/*.read")
    assert fetch(token, "/fhir/R4/$export").status_code == 400  # type: ignore[attr-defined]
    bad = fetch(token, "/fhir/R4/$export?_type=Goal", PREFER="respond-async")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    # Another analyst's job is not theirs to read.
    kick = fetch(token, "/fhir/R4/$export", PREFER="respond-async")
    other = token_for(world.users[P.KEY_WORKER], "user/*.read")
    assert fetch(other, kick["Content-Location"]).status_code == 404  # type: ignore[index,attr-defined]
