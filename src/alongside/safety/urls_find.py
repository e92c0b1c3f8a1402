"""The emergency search, at /crisis/find/ (not under one person)."""

from django.urls import path

from alongside.safety import views

app_name = "emergency"

urlpatterns = [path("find/", views.find, name="find")]
