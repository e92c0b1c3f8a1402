"""The approved handover summary as an HL7 FHIR R4 **document** Bundle.

The Composition comes first (LOINC 18842-5, discharge summary; the person is its attester, since
nothing leaves before they approve), then the Patient (with the national or local identifiers the
person has), the Encounter (the stay), the Organization that wrote it, the CareTeam (the network
at drafting time, roles as codes from our network-role code system) when there is one, the
CarePlan (the person's steps as activities) and one Goal per goal, whose origin is an extension
we publish (``alongside.fhir.extensions``). Goals written by the person are ``expressedBy`` the
Patient and their description is the person's own words, unchanged.

Every resource has a logical id, and its ``fullUrl`` is ``urn:uuid:<id>``: the rows' random
``fhir_id`` UUIDs (person, stay, goal, organisation) or UUIDv5 names under the summary's own random
``fhir_id``, so no two installations produce the same fullUrl. No element is an empty array.

Validated with ``fhir.resources`` (the ``R4B`` model set, the package's closest to FHIR R4)
resource by resource and as a Bundle before anything leaves the service; the tests validate it
independently against the R4 StructureDefinitions (JSON Schema and FHIRPath invariants).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from alongside.discharge.models import HandoverSummary
from alongside.discharge.present import SummaryView, present
from alongside.fhir import resources as fhir
from alongside.fhir.extensions import GOAL_ORIGIN
from alongside.people.models import Person
from alongside.plans.models import Goal

GOAL_LIFECYCLE = {
    "active": "active",
    "achieved": "completed",
    "paused": "on-hold",
    "let_go": "cancelled",
}
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
DISCHARGE_SUMMARY = {"system": fhir.LOINC, "code": "18842-5", "display": "Discharge summary"}
DOCUMENT_ID_SYSTEM = "urn:ietf:rfc:3986"

JSON = dict[str, Any]


class InvalidBundle(ValueError):
    """The Bundle did not validate; nothing is exported."""


def _named(summary: HandoverSummary, what: str) -> str:
    return str(uuid.uuid5(summary.fhir_id, what))


def _ref(logical_id: str) -> JSON:
    return {"reference": f"urn:uuid:{logical_id}"}


def _goal(view: SummaryView, index: int, goal_id: str, patient: JSON) -> JSON:
    goal = view.goals[index]
    resource: JSON = {
        "resourceType": "Goal",
        "id": goal_id,
        "meta": fhir.meta("Goal", None),
        "extension": [
            {"url": GOAL_ORIGIN, "valueCode": "person" if goal.written_by_person else "clinical"}
        ],
        "lifecycleStatus": GOAL_LIFECYCLE.get(goal.status, "active"),
        "description": {"text": goal.text},
        "subject": patient,
    }
    if goal.status == "achieved":
        resource["achievementStatus"] = {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": "achieved"}]
        }
    if goal.written_by_person:
        resource["expressedBy"] = patient
    return resource


def _activity(step_text: str, done: bool, goal_ref: JSON, who: str) -> JSON:
    detail: JSON = {
        "status": "completed" if done else "not-started",
        "description": step_text,
        "goal": [goal_ref],
    }
    if who:
        detail["performer"] = [{"display": who}]
    return {"detail": detail}


def _goal_ids(summary: HandoverSummary, view: SummaryView) -> list[str]:
    """The goals' own logical ids (a goal removed since drafting keeps a name of its own)."""
    rows = dict(
        Goal.objects.filter(
            person_id=summary.stay.person_id, pk__in=[goal.id for goal in view.goals]
        ).values_list("pk", "fhir_id")
    )
    return [str(rows.get(g.id) or _named(summary, f"goal-{g.id}")) for g in view.goals]


def _section(title: str, code: str, entries: list[JSON]) -> JSON:
    return {
        "title": title,
        "code": {"coding": [{"system": fhir.LOINC, "code": code}]},
        "entry": entries,
    }


def build_bundle(summary: HandoverSummary) -> JSON:
    """The document Bundle as plain JSON-ready dicts (not yet validated)."""
    view = present(summary)
    stay = summary.stay
    person: Person = stay.person
    organisation = stay.unit.organisation
    patient_id = str(person.fhir_id)
    patient_ref = _ref(patient_id)
    team_id = _named(summary, "careteam")
    plan_id = _named(summary, "careplan")
    composition_id = _named(summary, f"composition-{summary.approved_version or summary.version}")

    patient = fhir.patient(person)
    patient["meta"] = fhir.meta("Patient", None)
    patient["name"] = [
        {"text": summary.drafted_from.get("person", {}).get("name") or view.person_name}
    ]
    patient.pop("birthDate", None)
    patient.pop("communication", None)
    if view.birth_date is not None:
        patient["birthDate"] = view.birth_date.isoformat()

    org = fhir.organization(organisation)
    org_ref = _ref(org["id"])
    encounter = fhir.encounter(stay)
    encounter["subject"] = patient_ref
    encounter["serviceProvider"] = org_ref
    encounter_ref = _ref(encounter["id"])

    goal_ids = _goal_ids(summary, view)
    goals = [_goal(view, i, goal_ids[i], patient_ref) for i in range(len(view.goals))]
    activities = [
        _activity(step.text, step.done, _ref(goal_ids[index]), step.who_helps)
        for index, goal in enumerate(view.goals)
        for step in goal.steps
    ]
    participants = [
        {
            "role": [{"coding": [fhir.role_coding(member.role)]}],
            "member": {"display": member.name},
        }
        for member in view.network
    ]
    team: JSON | None = None
    if participants:
        team = {
            "resourceType": "CareTeam",
            "id": team_id,
            "meta": fhir.meta("CareTeam", None),
            "status": "active",
            "subject": patient_ref,
            "participant": participants,
        }
    period: dict[str, str] = {}
    if view.started_on is not None:
        period["start"] = view.started_on.isoformat()
    if view.ended_on is not None:
        period["end"] = view.ended_on.isoformat()
    plan: JSON = {
        "resourceType": "CarePlan",
        "id": plan_id,
        "meta": fhir.meta("CarePlan", None),
        "status": "active",
        "intent": "plan",
        "title": f"{view.person_name}: {view.organisation}",
        "subject": patient_ref,
        "encounter": encounter_ref,
    }
    if team is not None:
        plan["careTeam"] = [_ref(team_id)]
    if goal_ids:
        plan["goal"] = [_ref(goal_id) for goal_id in goal_ids]
    if period:
        plan["period"] = period
    if activities:
        plan["activity"] = activities
    notes: list[JSON] = [{"text": summary.staff_text}] if summary.staff_text.strip() else []
    notes += [{"text": c.text, "authorReference": patient_ref} for c in view.comments]
    if notes:
        plan["note"] = notes

    approved_at = summary.approved_by_person_at or summary.drafted_at
    sections = [_section("Plan of care", "18776-5", [_ref(plan_id)])]
    if goal_ids:
        sections.append(_section("Goals", "61146-7", [_ref(goal_id) for goal_id in goal_ids]))
    if team is not None:
        sections.append(_section("Care team", "85847-2", [_ref(team_id)]))
    composition: JSON = {
        "resourceType": "Composition",
        "id": composition_id,
        "meta": fhir.meta("Composition", approved_at),
        "identifier": {"system": DOCUMENT_ID_SYSTEM, "value": f"urn:uuid:{composition_id}"},
        "status": "final",
        "type": {"coding": [DISCHARGE_SUMMARY]},
        "subject": patient_ref,
        "encounter": encounter_ref,
        "date": fhir.instant(approved_at),
        "author": [org_ref],
        "title": "Handover summary",
        "attester": [{"mode": "personal", "time": fhir.instant(approved_at), "party": patient_ref}],
        "custodian": org_ref,
        "section": sections,
    }
    resources = [composition, patient, encounter, org, *([team] if team else []), plan, *goals]
    return {
        "resourceType": "Bundle",
        "id": str(summary.fhir_id),
        "meta": fhir.meta("Bundle", approved_at),
        "identifier": {
            "system": DOCUMENT_ID_SYSTEM,
            "value": f"urn:uuid:{_named(summary, f'document-{summary.approved_version}')}",
        },
        "type": "document",
        "timestamp": fhir.instant(approved_at),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def validate_bundle(data: dict[str, Any]) -> Bundle:
    """Validate the Bundle and every resource in it with ``fhir.resources`` (R4B models)."""
    try:
        for entry in data.get("entry", []):
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        bundle: Bundle = Bundle.model_validate(data)
    except (ValueError, KeyError) as invalid:
        raise InvalidBundle(str(invalid)) from invalid
    return bundle


def export_bundle(summary: HandoverSummary) -> bytes:
    """The approved summary as validated FHIR JSON. Raises ``InvalidBundle`` if it is not."""
    data = build_bundle(summary)
    validate_bundle(data)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
