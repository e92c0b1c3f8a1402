"""Bulk Data ``$export`` (FHIR Bulk Data Access): system level and Group level (a Group is an
organisation: everyone with a stay in one of its units), NDJSON, asynchronous with a status URL.

For analysts only (a current analyst role), and pseudonymised: each person appears under a
pseudonym (a UUIDv5 of their logical id in this installation's namespace, different from every
id the API shows), with no name, identifier or contact, the birth year only, and every reference
rewritten to the pseudonym. Free text the person wrote is left out. Exported: Patient, Encounter
(stays: dates and kind), Observation (scores). The job runs when it is kicked off (the data are
small) and is polled like any Bulk Data job; the request is audited.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

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

TYPES = ("Patient", "Encounter", "Observation")
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


def run_export(user: User, *, group: Organisation | None, types: list[str], url: str) -> ExportJob:
    """Make the job, write its NDJSON, and audit the export."""
    job = ExportJob.objects.create(
        requested_by=user,
        level="group" if group else "system",
        types=types,
        status=ExportStatus.RUNNING,
        request_url=url[:500],
    )
    persons = Person.objects.all()
    if group is not None:
        persons = persons.filter(stays__unit__organisation=group).distinct()
    persons = persons.order_by("pk")
    output: dict[str, str] = {}
    if "Patient" in types:
        output["Patient"] = "".join(json.dumps(_patient(p)) + "\n" for p in persons)
    if "Encounter" in types:
        stays = Stay.objects.filter(person__in=persons).select_related(
            "person", "unit__organisation"
        )
        if group is not None:
            stays = stays.filter(unit__organisation=group)
        output["Encounter"] = "".join(
            json.dumps(_encounter(s)) + "\n" for s in stays.order_by("pk")
        )
    if "Observation" in types:
        responses = (
            Response.objects.filter(person__in=persons)
            .select_related("person", "version__instrument", "instrument")
            .order_by("pk")
        )
        output["Observation"] = "".join(
            json.dumps(o) + "\n" for r in responses for o in _observations(r)
        )
    job.output = output
    job.status = ExportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["output", "status", "finished_at"])
    record(
        Actor(user=user, role=Role.ANALYST),
        AuditAction.READ,
        object_type="fhir.ExportJob",
        object_id=str(job.fhir_id),
        why=f"FHIR $export ({job.level}, pseudonymised): {', '.join(types)}",
    )
    return job
