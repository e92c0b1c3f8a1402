"""App configuration for demo."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "alongside.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
