"""Narratives URLs: reports (joined in urls_service.py)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
