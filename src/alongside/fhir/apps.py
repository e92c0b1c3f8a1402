"""App configuration for fhir."""

from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "alongside.fhir"
    label = "fhir"
    default_auto_field = "django.db.models.BigAutoField"
