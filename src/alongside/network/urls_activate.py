"""The supporter's activation page, outside any person's URLs: /supporters/activate/."""

from django.urls import path

from alongside.network import views

app_name = "supporters"

urlpatterns = [path("activate/", views.activate, name="activate")]
