from django.urls import path

from alongside.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("persons/<int:person_id>/", views.person_overview, name="person"),
]
