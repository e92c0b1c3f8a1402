"""App configuration for notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "alongside.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"
