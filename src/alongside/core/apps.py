"""App configuration for core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "alongside.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"
