"""URLs of reviews that are not about one person, under /reviews/."""

from django.urls import path

from alongside.reviews import views_service

app_name = "reviews_service"

urlpatterns = [
    path("rule/", views_service.rule, name="rule"),
    path("due/", views_service.due, name="due"),
]
