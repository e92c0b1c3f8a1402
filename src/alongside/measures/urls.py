"""URLs of measures about one person, under /persons/<person_id>/measures/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "measures"

urlpatterns: list[URLPattern] = []
