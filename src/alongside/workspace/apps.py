"""App configuration for workspace."""

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "alongside.workspace"
    label = "workspace"
    default_auto_field = "django.db.models.BigAutoField"
