"""Narratives URLs: REFI-QDA exchange, export and import (joined in urls_service.py)."""

from django.urls import URLPattern, path

from alongside.narratives import views_exchange

urlpatterns: list[URLPattern] = [
    path(
        "projects/<int:project_id>/exchange/",
        views_exchange.export_page,
        name="export-page",
    ),
    path(
        "projects/<int:project_id>/exchange/project.qdpx",
        views_exchange.export_qdpx,
        name="export-qdpx",
    ),
    path(
        "projects/<int:project_id>/exchange/codebooks/<int:codebook_id>.qdc",
        views_exchange.export_qdc,
        name="export-qdc",
    ),
    path("import/", views_exchange.import_project, name="import-project"),
    path(
        "projects/<int:project_id>/exchange/import-codebook/",
        views_exchange.import_codebook,
        name="import-codebook",
    ),
]
