"""The emergency search, at /crisis/find/ (not under one person)."""

from django.urls import path

from alongside.safety import views, views_register

app_name = "emergency"

urlpatterns = [
    path("find/", views.find, name="find"),
    path(
        "units/<int:unit_id>/restrictive-practice/",
        views_register.unit_figures,
        name="unit_figures",
    ),
]
