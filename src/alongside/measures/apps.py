"""App configuration for measures."""

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "alongside.measures"
    label = "measures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The score blocks follow every change to a saved response or score (measures.blocks).
        from alongside.measures import signals  # noqa: F401
