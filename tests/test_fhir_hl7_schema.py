"""HL7's own R4 JSON Schema (``fhir.schema.json``) in the tests' FHIR validator: the vendored
file is HL7's R4 schema, unchanged, and the check fails on its own for what it should catch."""

from __future__ import annotations

import json
from typing import Any

from tests import fhir_validator


def goal(**changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": "6c0f2b1e-3f5a-4f57-9d3e-2a8b1c4d5e6f",
        "lifecycleStatus": "active",
        "description": {"text": "Walk to the harbour"},
        "subject": {"reference": "Patient/0b5d7a52-8a2c-4d2e-9f34-1f6c3e2b7a10"},
    }
    resource.update(changes)
    return resource


def hl7_errors(resource: dict[str, Any]) -> list[str]:
    return [e for e in fhir_validator.validate(resource) if e.startswith("hl7 schema")]


def test_the_vendored_file_is_hl7s_r4_schema() -> None:
    schema = json.loads(fhir_validator.hl7_schema_text())
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert {"Goal", "CarePlan", "Bundle", "Patient", "QuestionnaireResponse"} <= set(
        schema["discriminator"]["mapping"]
    )


def test_a_valid_goal_passes_and_bad_codes_or_unknown_elements_fail() -> None:
    assert fhir_validator.validate(goal()) == []
    wrong = hl7_errors(goal(lifecycleStatus="going-well"))
    assert any("lifecycleStatus" in e and "going-well" in e for e in wrong), wrong
    unknown = hl7_errors(goal(mood="fine"))
    assert any("mood" in e for e in unknown), unknown


def test_a_bundle_is_checked_through_its_entries() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"fullUrl": "http://testserver/fhir/R4/Goal/1", "resource": goal()},
            {
                "fullUrl": "http://testserver/fhir/R4/Goal/2",
                "resource": goal(lifecycleStatus="going-well"),
            },
        ],
    }
    errors = hl7_errors(bundle)
    assert any(e.startswith("hl7 schema /:") for e in errors), errors
    assert any("/entry/1/resource/lifecycleStatus" in e for e in errors), errors
    assert not any("/entry/0/" in e for e in errors), errors
    bundle["entry"] = bundle["entry"][:1]
    assert hl7_errors(bundle) == []
