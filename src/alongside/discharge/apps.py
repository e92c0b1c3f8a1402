"""App configuration for discharge."""

from django.apps import AppConfig


class DischargeConfig(AppConfig):
    name = "alongside.discharge"
    label = "discharge"
    default_auto_field = "django.db.models.BigAutoField"
