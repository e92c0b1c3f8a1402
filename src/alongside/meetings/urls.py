"""URLs of meetings about one person, under /persons/<person_id>/meetings/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "meetings"

urlpatterns: list[URLPattern] = []
