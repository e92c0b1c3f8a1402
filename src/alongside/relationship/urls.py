"""URLs of the working relationship, under /persons/<person_id>/."""

from django.urls import path

from alongside.relationship import views

app_name = "relationship"

urlpatterns = [
    path("together/", views.together, name="together"),
    path("notes/", views.notes, name="notes"),
    path("notes/<int:note_id>/", views.note, name="note"),
]
