"""App configuration for relationship."""

from django.apps import AppConfig


class RelationshipConfig(AppConfig):
    name = "alongside.relationship"
    label = "relationship"
    default_auto_field = "django.db.models.BigAutoField"
