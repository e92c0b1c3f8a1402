"""Our FHIR extensions and code systems, published as StructureDefinitions and CodeSystems.

A goal's origin (whose goal it is: the person's own, the clinical team's, the service's) and the
person's stance on a goal others set (agree, not now, disagree, with their words as the text).
The canonical URLs are identifiers; they name these definitions and are not fetched.
"""

from __future__ import annotations

from typing import Any

CANONICAL = "http://fhir.alongside.care"
GOAL_ORIGIN = f"{CANONICAL}/StructureDefinition/goal-origin"
GOAL_STANCE = f"{CANONICAL}/StructureDefinition/goal-stance"
TOGETHER_WITH_STAFF = f"{CANONICAL}/StructureDefinition/completed-together-with-staff"
ORIGIN_SYSTEM = f"{CANONICAL}/CodeSystem/goal-origin"
STANCE_SYSTEM = f"{CANONICAL}/CodeSystem/goal-stance"
ROLE_SYSTEM = f"{CANONICAL}/CodeSystem/network-role"
SECTION_SYSTEM = f"{CANONICAL}/CodeSystem/record-section"
SCORE_SYSTEM = f"{CANONICAL}/CodeSystem/measure-score"
PROFILE_PATIENT = f"{CANONICAL}/StructureDefinition/alongside-patient"


def _extension(
    url: str, name: str, title: str, description: str, value_type: str, context: str = "Goal"
) -> dict[str, Any]:
    slug = url.rsplit("/", 1)[1]
    return {
        "resourceType": "StructureDefinition",
        "id": slug,
        "url": url,
        "version": "1.0.0",
        "name": name,
        "title": title,
        "status": "active",
        "publisher": "Alongside",
        "description": description,
        "fhirVersion": "4.0.1",
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": context}],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "differential": {
            "element": [
                {"id": "Extension", "path": "Extension", "short": title, "max": "1"},
                {"id": "Extension.extension", "path": "Extension.extension", "max": "0"},
                {
                    "id": "Extension.url",
                    "path": "Extension.url",
                    "fixedUri": url,
                },
                {
                    "id": "Extension.value[x]",
                    "path": "Extension.value[x]",
                    "min": 1,
                    "type": [{"code": value_type}],
                },
            ]
        },
    }


def structure_definitions() -> list[dict[str, Any]]:
    return [
        _extension(
            GOAL_ORIGIN,
            "GoalOrigin",
            "Whose goal this is",
            "Whether the goal is the person's own, set by the clinical team, or set by the "
            f"service or municipality. Codes from {ORIGIN_SYSTEM}: person, clinical, service.",
            "code",
        ),
        _extension(
            GOAL_STANCE,
            "GoalStance",
            "The person's view of a goal someone else set",
            "The person's latest stance on a goal set by others, coded from "
            f"{STANCE_SYSTEM} (agree, not_now, disagree); the text holds their own words.",
            "CodeableConcept",
        ),
        _extension(
            TOGETHER_WITH_STAFF,
            "CompletedTogetherWithStaff",
            "Answered together with staff",
            "Whether the person answered the questionnaire together with a member of staff.",
            "boolean",
            "QuestionnaireResponse",
        ),
    ]


def structure_definition(slug: str) -> dict[str, Any] | None:
    return next((sd for sd in structure_definitions() if sd["id"] == slug), None)
