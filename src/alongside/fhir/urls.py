"""The FHIR R4 API (mounted at ``fhir/R4/``)."""

from django.urls import path

from alongside.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", views.smart_configuration, name="smart_configuration"),
    path("$export", views.export_system, name="export"),
    path("Group/<str:group_id>/$export", views.export_group, name="export_group"),
    path("$export-status/<str:job_id>", views.export_status, name="export_status"),
    path("$export-file/<str:job_id>/<str:kind_name>", views.export_file, name="export_file"),
    path("<str:kind_name>", views.type_level, name="type"),
    path("<str:kind_name>/<str:logical_id>", views.instance_level, name="instance"),
]
