"""The privacy contact's pages, under /privacy/."""

from django.urls import path

from alongside.audit import views

app_name = "audit"

urlpatterns = [
    path("flags/", views.flags, name="flags"),
    path("flags/<int:flag_id>/answer/", views.answer, name="answer"),
]
