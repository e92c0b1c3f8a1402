"""App configuration for administration."""

from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "alongside.administration"
    label = "administration"
    default_auto_field = "django.db.models.BigAutoField"
