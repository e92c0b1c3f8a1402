"""URLs of the working relationship, under /persons/<person_id>/."""

from django.urls import path

app_name = "relationship"

urlpatterns: list[object] = []
