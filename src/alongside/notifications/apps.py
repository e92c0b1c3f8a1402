"""App configuration for notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "alongside.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every room's messages.py declares its notification codes (see messages.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("messages")
