"""Narratives URLs: assisted coding (joined in urls_service.py)."""

from django.urls import URLPattern, path

from alongside.narratives import views_suggest

urlpatterns: list[URLPattern] = [
    path(
        "projects/<int:project_id>/suggestions/",
        views_suggest.suggestions,
        name="suggestions",
    ),
    path(
        "projects/<int:project_id>/suggestions/accept/",
        views_suggest.accept,
        name="suggestion-accept",
    ),
    path(
        "projects/<int:project_id>/suggestions/precision/",
        views_suggest.precision,
        name="suggestion-precision",
    ),
]
