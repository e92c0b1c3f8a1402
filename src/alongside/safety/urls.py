"""URLs of the crisis plan, under /persons/<person_id>/crisis/."""

from django.urls import path

from alongside.safety import views

app_name = "safety"

urlpatterns = [
    path("", views.crisis_plan, name="crisis_plan"),
    path("new-version/", views.crisis_edit, name="crisis_edit"),
    path("versions/<int:number>/confirm/", views.crisis_confirm, name="crisis_confirm"),
    path("emergency/", views.emergency, name="emergency"),
    path("break-glass/", views.break_glass, name="break_glass"),
]
