from django.urls import path

from alongside.portal import views, views_log

app_name = "portal"

urlpatterns = [
    path("", views.me, name="me"),
    path("supporting/", views.supporting, name="supporting"),
    path("record-log/", views_log.record_log, name="record_log"),
    path("record-log/pdf/", views_log.record_log_pdf, name="record_log_pdf"),
    path("record-log/<int:event_id>/flag/", views_log.flag, name="flag"),
]
