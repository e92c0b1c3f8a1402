"""URLs of measures that are not about one person, under /measures/."""

from django.urls import path

from alongside.measures import views_staff

app_name = "measures_service"

urlpatterns = [
    path("", views_staff.due, name="due"),
]
