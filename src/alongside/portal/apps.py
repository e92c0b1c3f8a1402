"""App configuration for portal."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "alongside.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"
