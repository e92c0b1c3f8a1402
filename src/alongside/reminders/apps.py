"""App configuration for reminders."""

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "alongside.reminders"
    label = "reminders"
    default_auto_field = "django.db.models.BigAutoField"
