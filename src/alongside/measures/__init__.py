"""Measures: FHIR R4 questionnaires, scoring rules as data, responses, schedules, charts."""
