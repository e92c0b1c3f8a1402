"""URLs of measures about one person, under /persons/<person_id>/measures/."""

from django.urls import path

from alongside.measures import views, views_staff

app_name = "measures"

urlpatterns = [
    path("", views.home, name="home"),
    path("schedule/", views_staff.schedule, name="schedule"),
    path("schedule/<int:schedule_id>/end/", views_staff.end_schedule, name="end_schedule"),
    path("responses/<int:response_id>/", views.result, name="result"),
    path("<slug:code>/answer/", views.answer, name="answer"),
    path("<slug:code>/trend/", views.trend, name="trend"),
    path("<slug:code>/compare/", views.chime, name="chime"),
]
