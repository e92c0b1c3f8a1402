"""URLs of discharge about one person, under /persons/<person_id>/discharge/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "discharge"

urlpatterns: list[URLPattern] = []
