"""URLs of reviews about one person, under /persons/<person_id>/reviews/."""

from django.urls import path

from alongside.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.reviews, name="reviews"),
    path("record/", views.record, name="record"),
    path("<int:review_id>/", views.review, name="review"),
]
