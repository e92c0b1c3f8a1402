"""URLs of discharge about one person, under /persons/<person_id>/discharge/."""

from django.urls import path

from alongside.discharge import views, views_handover

app_name = "discharge"

urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("end/", views.end, name="end"),
    path("handover/", views_handover.summary_page, name="handover"),
    path("handover/pdf/", views.handover_pdf, name="handover_pdf"),
    path("handover/fhir/", views.handover_fhir, name="handover_fhir"),
]
