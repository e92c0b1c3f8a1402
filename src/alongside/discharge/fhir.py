"""The approved handover summary as an HL7 FHIR Bundle (type ``collection``).

Patient, CareTeam (the network at drafting time), CarePlan (the stay's plan, its activities the
person's steps) and one Goal per goal of the person's own. Goals written by the person are
``expressedBy`` the Patient, and their description is the person's own words, unchanged.

Built from plain dicts and validated with the ``fhir.resources`` package before anything leaves
the service: the ``R4B`` model set, the package's closest to FHIR R4 (R4B changed no resource
used here). Each resource is validated by its own model as well as inside the Bundle. Resources
refer to each other by ``urn:uuid`` full URLs, stable per summary.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from alongside.discharge.models import HandoverSummary
from alongside.discharge.present import SummaryView, present

_NAMESPACE = uuid.UUID("6f7c3c1e-4a59-4f43-9c1e-6b1d2a4e8d10")

GOAL_LIFECYCLE = {
    "active": "active",
    "achieved": "completed",
    "paused": "on-hold",
    "let_go": "cancelled",
}
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"


class InvalidBundle(ValueError):
    """The Bundle did not validate; nothing is exported."""


def _urn(summary: HandoverSummary, what: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'alongside:handover:{summary.pk}:{what}')}"


def _goal(view: SummaryView, index: int, patient: str) -> dict[str, Any]:
    goal = view.goals[index]
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "lifecycleStatus": GOAL_LIFECYCLE.get(goal.status, "active"),
        "description": {"text": goal.text},
        "subject": {"reference": patient},
    }
    if goal.status == "achieved":
        resource["achievementStatus"] = {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": "achieved"}]
        }
    if goal.written_by_person:
        resource["expressedBy"] = {"reference": patient}
    return resource


def _activity(step_text: str, done: bool, goal_ref: str, who: str) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "status": "completed" if done else "not-started",
        "description": step_text,
        "goal": [{"reference": goal_ref}],
    }
    if who:
        detail["performer"] = [{"display": who}]
    return {"detail": detail}


def build_bundle(summary: HandoverSummary) -> dict[str, Any]:
    """The Bundle as plain JSON-ready dicts (not yet validated)."""
    view = present(summary)
    patient_ref = _urn(summary, "patient")
    team_ref = _urn(summary, "careteam")
    plan_ref = _urn(summary, "careplan")
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "name": [{"text": summary.drafted_from.get("person", {}).get("name") or view.person_name}],
    }
    if view.birth_date is not None:
        patient["birthDate"] = view.birth_date.isoformat()
    team: dict[str, Any] = {
        "resourceType": "CareTeam",
        "status": "active",
        "subject": {"reference": patient_ref},
        "participant": [
            {
                "role": [{"text": member.role_label}],
                "member": {"display": member.name},
                **({"onBehalfOf": {"display": member.organisation}} if member.organisation else {}),
            }
            for member in view.network
        ],
    }
    goal_refs = [_urn(summary, f"goal-{goal.id}") for goal in view.goals]
    goals = [_goal(view, index, patient_ref) for index in range(len(view.goals))]
    activities = [
        _activity(step.text, step.done, goal_refs[index], step.who_helps)
        for index, goal in enumerate(view.goals)
        for step in goal.steps
    ]
    period: dict[str, str] = {}
    if view.started_on is not None:
        period["start"] = view.started_on.isoformat()
    if view.ended_on is not None:
        period["end"] = view.ended_on.isoformat()
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": f"{view.person_name}: {view.organisation}",
        "subject": {"reference": patient_ref},
        "careTeam": [{"reference": team_ref}],
        "goal": [{"reference": ref} for ref in goal_refs],
    }
    if period:
        plan["period"] = period
    if activities:
        plan["activity"] = activities
    notes: list[dict[str, Any]] = (
        [{"text": summary.staff_text}] if summary.staff_text.strip() else []
    )
    notes += [
        {"text": c.text, "authorReference": {"reference": patient_ref}} for c in view.comments
    ]
    if notes:
        plan["note"] = notes
    entries = [
        (patient_ref, patient),
        (team_ref, team),
        (plan_ref, plan),
        *zip(goal_refs, goals, strict=True),
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
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
