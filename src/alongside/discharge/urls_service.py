"""URLs of discharge that are not about one person, under /discharge/."""

from django.urls import path

from alongside.discharge import views_items

app_name = "discharge_service"

urlpatterns = [
    path("checklist-items/", views_items.checklist_items, name="items"),
]
