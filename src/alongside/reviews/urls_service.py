"""URLs of reviews that are not about one person, under /reviews/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "reviews_service"

urlpatterns: list[URLPattern] = []
