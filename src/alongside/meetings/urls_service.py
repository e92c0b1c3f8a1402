"""URLs of meetings that are not about one person, under /meetings/."""

from django.urls import path

from alongside.meetings import views_tasks

app_name = "meetings_service"

urlpatterns = [
    path("tasks/", views_tasks.tasks, name="tasks"),
]
