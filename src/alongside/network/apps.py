"""App configuration for network."""

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "alongside.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"
