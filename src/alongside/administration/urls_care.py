"""The administration page care staff reach from a person's overview: their login code."""

from django.urls import path

from alongside.administration import views

app_name = "administration_care"

urlpatterns = [
    path("login-code/", views.care_activation, name="activation"),
]
