"""App configuration for plans."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "alongside.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"
