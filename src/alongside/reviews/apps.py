"""App configuration for reviews."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "alongside.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
