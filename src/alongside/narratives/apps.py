"""App configuration for narratives."""

from django.apps import AppConfig


class NarrativesConfig(AppConfig):
    name = "alongside.narratives"
    label = "narratives"
    default_auto_field = "django.db.models.BigAutoField"
