"""Bulk Data $export: analysts only, asynchronous kick-off and status polling, NDJSON that
validates line by line, pseudonymised (no names, identifiers or API ids), system and Group level.
The kick-off only queues the job; the reminder worker's round writes it."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alongside.fhir import bulk
from alongside.fhir.models import ExportJob, ExportStatus
from alongside.organisations.models import Role, StaffRole
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


def kick_off(token: str, path: str) -> str:
    """The status URL of a new export (checked: not run yet, polled as in progress)."""
    kick: Any = fetch(token, "/fhir/R4/" + path, PREFER="respond-async")
    assert kick.status_code == 202, kick.content
    assert kick.content == b""
    polled: Any = fetch(token, kick["Content-Location"])
    assert polled.status_code == 202
    assert polled["X-Progress"] == "queued"
    return str(kick["Content-Location"])


def manifest_of(token: str, status_url: str) -> dict[str, Any]:
    status: Any = fetch(token, status_url)
    assert status.status_code == 200, status.content
    manifest: dict[str, Any] = json.loads(status.content)
    return manifest


def export(token: str, path: str) -> dict[str, list[dict[str, object]]]:
    status_url = kick_off(token, path)
    assert bulk.worker_round("test-worker") == 1
    manifest = manifest_of(token, status_url)
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


def test_the_kick_off_only_queues_and_the_reminder_worker_runs_the_job(world: World) -> None:
    answered(world)
    token = token_for(world.users[P.ANALYST], "system/*.read")
    status_url = kick_off(token, "$export")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED
    assert job.output == {}
    # Polled again before any worker ran: still in progress, nothing written.
    again: Any = fetch(token, status_url)
    assert again.status_code == 202
    assert again["X-Progress"] == "queued"
    call_command("reminders", "--once", "--worker-name", "w1", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.claimed_by == "w1"
    assert job.progress == "3 of 3 types"
    manifest = manifest_of(token, status_url)
    assert [o["type"] for o in manifest["output"]] == ["Patient", "Encounter", "Observation"]
    # Nothing left for the next round.
    assert bulk.worker_round("w2") == 0


def test_progress_is_reported_type_by_type_while_running(world: World) -> None:
    token = token_for(world.users[P.ANALYST], "system/*.read")
    status_url = kick_off(token, "$export?_type=Patient,Encounter")
    job = bulk.claim("w1", timezone.now())
    assert job is not None
    seen: list[str] = []
    original = bulk._ndjson

    def spy(job: ExportJob, kind: str) -> str:
        polled: Any = fetch(token, status_url)
        assert polled.status_code == 202
        seen.append(polled["X-Progress"])
        return original(job, kind)

    bulk._ndjson = spy  # type: ignore[assignment]
    try:
        assert bulk.run_job(job, "w1")
    finally:
        bulk._ndjson = original  # type: ignore[assignment]
    assert seen == ["running: 0 of 2 types", "running: 1 of 2 types"]
    assert manifest_of(token, status_url)["output"]


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(world: World) -> None:
    token = token_for(world.users[P.ANALYST], "system/*.read")
    status_url = kick_off(token, "$export?_type=Patient")
    first = bulk.claim("dead", timezone.now())
    assert first is not None
    assert bulk.claim("w2", timezone.now()) is None  # held by the lease
    later = timezone.now() + bulk.LEASE + timedelta(seconds=1)
    second = bulk.claim("w2", later)
    assert second is not None
    assert second.pk == first.pk
    assert second.attempts == 2
    assert bulk.run_job(second, "w2")
    assert not bulk.run_job(first, "dead")  # the old worker's late writes are refused
    assert ExportJob.objects.get().claimed_by == "w2"
    assert manifest_of(token, status_url)["output"]


def test_a_failed_job_answers_with_an_operation_outcome(world: World) -> None:
    token = token_for(world.users[P.ANALYST], "system/*.read")
    status_url = kick_off(token, "$export?_type=Patient")
    original = bulk._ndjson

    def broken(job: ExportJob, kind: str) -> str:
        raise RuntimeError("disk full")

    bulk._ndjson = broken  # type: ignore[assignment]
    try:
        assert bulk.worker_round("w1") == 0
    finally:
        bulk._ndjson = original  # type: ignore[assignment]
    answer: Any = fetch(token, status_url)
    assert answer.status_code == 500
    assert answer.json()["resourceType"] == "OperationOutcome"


def test_a_second_export_does_not_see_the_first_exports_files(world: World) -> None:
    analyst = world.users[P.ANALYST]
    token = token_for(analyst, "system/*.read")
    first_url = kick_off(token, "$export?_type=Patient")
    bulk.worker_round("w1")
    second_url = kick_off(token, "$export?_type=Encounter")
    bulk.worker_round("w1")
    first = manifest_of(token, first_url)
    second = manifest_of(token, second_url)
    first_files = {o["url"] for o in first["output"]}
    second_files = {o["url"] for o in second["output"]}
    assert [o["type"] for o in second["output"]] == ["Encounter"]
    assert not first_files & second_files
    second_id = second_url.rsplit("/", 1)[1]
    # The second job has no Patient file, and does not lend the first's.
    patient_file: Any = fetch(token, f"/fhir/R4/$export-file/{second_id}/Patient")
    assert patient_file.status_code == 404
    # A second analyst sees neither job nor its files.
    other = world.users[P.KEY_WORKER]
    StaffRole.objects.create(
        user=other,
        unit=StaffRole.objects.filter(user=analyst).first().unit,  # type: ignore[union-attr]
        role=Role.ANALYST,
        started_on=timezone.localdate(),
    )
    other_token = token_for(other, "system/*.read")
    assert bulk.is_analyst(other)
    for url in (first_url, *first_files):
        answer: Any = fetch(other_token, url)
        assert answer.status_code == 404
