from django.urls import path

from alongside.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.now, name="now"),
    path("<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
