from django.urls import path

from alongside.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.me, name="me"),
    path("supporting/", views.supporting, name="supporting"),
]
