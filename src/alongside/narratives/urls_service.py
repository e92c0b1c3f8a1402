"""URLs of narratives that are not about one person, under /narratives/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "narratives_service"

urlpatterns: list[URLPattern] = []
