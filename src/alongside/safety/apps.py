"""App configuration for safety."""

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "alongside.safety"
    label = "safety"
    default_auto_field = "django.db.models.BigAutoField"
