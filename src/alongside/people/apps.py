"""App configuration for people."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "alongside.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"
