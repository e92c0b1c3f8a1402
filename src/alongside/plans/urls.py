"""URLs of the recovery plan, under /persons/<person_id>/plan/."""

from django.urls import path

app_name = "plans"

urlpatterns: list[object] = []
