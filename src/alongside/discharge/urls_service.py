"""URLs of discharge that are not about one person, under /discharge/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "discharge_service"

urlpatterns: list[URLPattern] = []
