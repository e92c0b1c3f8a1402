"""The FHIR R4 API (mounted at ``fhir/R4/``)."""

from django.urls import path

from alongside.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", views.smart_configuration, name="smart_configuration"),
    path("<str:kind_name>", views.type_level, name="type"),
    path("<str:kind_name>/<str:logical_id>", views.instance_level, name="instance"),
]
