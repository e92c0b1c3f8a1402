"""URLs of network about one person, under /persons/<person_id>/network/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "network"

urlpatterns: list[URLPattern] = []
