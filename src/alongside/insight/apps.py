"""App configuration for insight."""

from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "alongside.insight"
    label = "insight"
    default_auto_field = "django.db.models.BigAutoField"
