"""URLs of measures that are not about one person, under /measures/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "measures_service"

urlpatterns: list[URLPattern] = []
