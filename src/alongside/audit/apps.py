"""App configuration for audit."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "alongside.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
