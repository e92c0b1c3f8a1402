"""Insight URLs, under /insight/."""

from django.urls import path

from alongside.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.home, name="home"),
    path("all/", views.dashboard, {"kind": "all"}, name="all"),
    path("all/table.<str:fmt>", views.download, {"kind": "all"}, name="all-table"),
    path("organisation/<int:pk>/", views.dashboard, {"kind": "organisation"}, name="organisation"),
    path(
        "organisation/<int:pk>/table.<str:fmt>",
        views.download,
        {"kind": "organisation"},
        name="organisation-table",
    ),
    path("organisation/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("unit/<int:pk>/", views.dashboard, {"kind": "unit"}, name="unit"),
    path("unit/<int:pk>/gap/", views.gap, name="gap"),
    path("survey/", views.survey_page, name="survey"),
    path("unit/<int:pk>/survey-schedule/", views.survey_schedule, name="survey-schedule"),
    path("extract/", views.extract_page, name="extract"),
    path("extract/<int:approval_id>/run.<str:fmt>", views.extract_run, name="extract-run"),
    path("unit/<int:pk>/actions/", views.add_action, name="add-action"),
    path("actions/<int:action_id>/review/", views.review, name="review-action"),
    path("unit/<int:pk>/table.<str:fmt>", views.download, {"kind": "unit"}, name="unit-table"),
]
