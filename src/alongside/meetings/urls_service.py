"""URLs of meetings that are not about one person, under /meetings/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "meetings_service"

urlpatterns: list[URLPattern] = []
