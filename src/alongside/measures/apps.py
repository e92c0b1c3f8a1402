"""App configuration for measures."""

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "alongside.measures"
    label = "measures"
    default_auto_field = "django.db.models.BigAutoField"
