"""Bulk Data ``$export`` (FHIR Bulk Data Access): system level and Group level (a Group is an
organisation: everyone with a stay in one of its units), NDJSON, asynchronous with a status URL.

For analysts only (a current analyst role), and pseudonymised: each person appears under a
pseudonym (a UUIDv5 of their logical id in this installation's namespace, different from every
id the API shows), with no name, identifier or contact, the birth year only, and every reference
rewritten to the pseudonym. Free text the person wrote is left out. Exported: Patient, Encounter
(stays: dates and kind), Observation (scores).

Asynchronous for real: the kick-off only queues an ``ExportJob`` (audited) and answers 202; the
reminder worker (``alongside reminders``) claims queued jobs each round (``worker_round``, row
locks and a lease like its reminders) and writes the NDJSON type by type, recording progress;
the status URL answers 202 with ``X-Progress`` until the job is done, then the manifest.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.fhir import ids
from alongside.fhir import resources as fhir
from alongside.fhir.models import ExportJob, ExportStatus
from alongside.measures.models import Response
from alongside.organisations.models import Organisation, Role, StaffRole
from alongside.people.models import Person, Stay

log = logging.getLogger("alongside.fhir")

TYPES = ("Patient", "Encounter", "Observation")
LEASE = timedelta(minutes=10)
JSON = dict[str, Any]


def is_analyst(user: User) -> bool:
    return StaffRole.objects.current().filter(user=user, role=Role.ANALYST).exists()


def pseudonym(person: Person) -> str:
    return str(uuid.uuid5(ids.installation_namespace(), f"alongside:export:{person.fhir_id}"))


def _patient(person: Person) -> JSON:
    resource: JSON = {
        "resourceType": "Patient",
        "id": pseudonym(person),
        "meta": {
            "security": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                    "code": "PSEUDED",
                }
            ]
        },
    }
    if person.date_of_birth is not None:
        resource["birthDate"] = str(person.date_of_birth.year)
    return resource


def _encounter(stay: Stay) -> JSON:
    resource = fhir.encounter(stay)
    resource["id"] = str(
        uuid.uuid5(ids.installation_namespace(), f"alongside:export:{stay.fhir_id}")
    )
    resource["subject"] = ids.ref("Patient", pseudonym(stay.person))
    resource.pop("serviceProvider", None)
    resource.pop("meta", None)
    return resource


def _observations(response: Response) -> list[JSON]:
    out = []
    for observation in fhir.observations(response):
        observation["id"] = str(
            uuid.uuid5(ids.installation_namespace(), f"alongside:export:{observation['id']}")
        )
        observation["subject"] = ids.ref("Patient", pseudonym(response.person))
        observation.pop("derivedFrom", None)
        observation.pop("meta", None)
        out.append(observation)
    return out


def request_export(
    user: User, *, group: Organisation | None, types: list[str], url: str
) -> ExportJob:
    """Queue an export (the kick-off): the reminder worker runs it; the request is audited."""
    job = ExportJob.objects.create(
        requested_by=user,
        level="group" if group else "system",
        types=types,
        status=ExportStatus.QUEUED,
        request_url=url[:500],
        group=group,
    )
    record(
        Actor(user=user, role=Role.ANALYST),
        AuditAction.READ,
        object_type="fhir.ExportJob",
        object_id=str(job.fhir_id),
        why=f"FHIR $export ({job.level}, pseudonymised): {', '.join(types)}",
    )
    return job


def claim(worker: str, now: datetime, *, lease: timedelta = LEASE) -> ExportJob | None:
    """Claim the oldest queued job, or a running one whose worker's lease ran out."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=ExportStatus.QUEUED)
                | Q(status=ExportStatus.RUNNING, claimed_until__lt=now)
            )
            .order_by("created_at", "pk")
            .first()
        )
        if job is None:
            return None
        job.status = ExportStatus.RUNNING
        job.claimed_by = worker[:200]
        job.claimed_until = now + lease
        job.attempts += 1
        job.started_at = now
        job.output = {}  # a job taken over starts again from nothing
        job.progress = f"0 of {len(job.types)} types"
        job.save()
    return job


def _ndjson(job: ExportJob, kind: str) -> str:
    persons = Person.objects.all()
    group = job.group
    if group is not None:
        persons = persons.filter(stays__unit__organisation=group).distinct()
    if kind == "Patient":
        return "".join(json.dumps(_patient(p)) + "\n" for p in persons.order_by("pk"))
    if kind == "Encounter":
        stays = Stay.objects.filter(person__in=persons).select_related(
            "person", "unit__organisation"
        )
        if group is not None:
            stays = stays.filter(unit__organisation=group)
        return "".join(json.dumps(_encounter(s)) + "\n" for s in stays.order_by("pk"))
    responses = (
        Response.objects.filter(person__in=persons)
        .select_related("person", "version__instrument", "instrument")
        .order_by("pk")
    )
    return "".join(json.dumps(o) + "\n" for r in responses for o in _observations(r))


def run_job(job: ExportJob, worker: str, *, lease: timedelta = LEASE) -> bool:
    """Write the job's NDJSON one type after another, renewing the lease and the progress after
    each; ``False`` when another worker took the job over meanwhile (its work is kept)."""
    output: dict[str, str] = {}
    for number, kind in enumerate(job.types, start=1):
        output[kind] = _ndjson(job, kind)
        now = timezone.now()
        done = number == len(job.types)
        changed = ExportJob.objects.filter(
            pk=job.pk, claimed_by=worker[:200], status=ExportStatus.RUNNING
        ).update(
            output=output,
            progress=f"{number} of {len(job.types)} types",
            claimed_until=None if done else now + lease,
            status=ExportStatus.DONE if done else ExportStatus.RUNNING,
            finished_at=now if done else None,
        )
        if not changed:
            return False
    if not job.types:
        ExportJob.objects.filter(pk=job.pk, claimed_by=worker[:200]).update(
            status=ExportStatus.DONE, finished_at=timezone.now(), claimed_until=None
        )
    return True


def worker_round(worker: str, now: datetime | None = None, *, limit: int = 5) -> int:
    """What the reminder worker does for exports each round: run up to ``limit`` queued jobs.
    A job that fails is marked failed (its status answers with an OperationOutcome)."""
    finished = 0
    for _ in range(limit):
        job = claim(worker, now or timezone.now())
        if job is None:
            break
        try:
            if run_job(job, worker):
                finished += 1
        except Exception:
            log.exception("export %s failed", job.fhir_id)
            ExportJob.objects.filter(pk=job.pk, claimed_by=worker[:200]).update(
                status=ExportStatus.FAILED, finished_at=timezone.now(), claimed_until=None
            )
    return finished
