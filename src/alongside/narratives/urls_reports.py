"""Narratives URLs: reports of a project (joined in urls_service.py)."""

from django.urls import URLPattern, path

from alongside.narratives import views_reports, views_retrieve

urlpatterns: list[URLPattern] = [
    path(
        "projects/<int:project_id>/segments/",
        views_retrieve.segments,
        name="retrieve",
    ),
    path(
        "projects/<int:project_id>/reports/themes/",
        views_reports.themes,
        name="report-themes",
    ),
    path(
        "projects/<int:project_id>/reports/themes.csv",
        views_reports.themes_csv,
        name="report-themes-csv",
    ),
    path(
        "projects/<int:project_id>/reports/cooccurrence/",
        views_reports.cooccurrence,
        name="report-cooccurrence",
    ),
    path(
        "projects/<int:project_id>/reports/cooccurrence.csv",
        views_reports.cooccurrence_csv,
        name="report-cooccurrence-csv",
    ),
    path(
        "projects/<int:project_id>/reports/barriers/",
        views_reports.barriers,
        name="report-barriers",
    ),
    path(
        "projects/<int:project_id>/reports/barriers.csv",
        views_reports.barriers_csv,
        name="report-barriers-csv",
    ),
]
