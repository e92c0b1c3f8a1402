"""App configuration for alerts."""

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alongside.alerts"
    label = "alerts"
    default_auto_field = "django.db.models.BigAutoField"
