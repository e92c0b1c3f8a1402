"""App configuration for frameworks."""

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "alongside.frameworks"
    label = "frameworks"
    default_auto_field = "django.db.models.BigAutoField"
