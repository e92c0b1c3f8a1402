"""URLs of reviews about one person, under /persons/<person_id>/reviews/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "reviews"

urlpatterns: list[URLPattern] = []
