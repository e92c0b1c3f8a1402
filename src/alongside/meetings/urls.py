"""URLs of meetings about one person, under /persons/<person_id>/meetings/."""

from django.urls import path

from alongside.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.plan, name="plan"),
    path("<int:meeting_id>/", views.meeting, name="meeting"),
]
