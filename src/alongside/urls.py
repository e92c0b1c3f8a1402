"""The URL map. Every pattern must be declared in tests/access_matrix.py, or the suite fails."""

from django.urls import include, path

from alongside.api import api
from alongside.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("alongside.accounts.urls")),
    path("accounts/", include("alongside.accounts.allauth_urls")),
    path("workspace/", include("alongside.workspace.urls")),
    path("me/", include("alongside.portal.urls")),
    path("notifications/", include("alongside.notifications.urls")),
    path("persons/<int:person_id>/plan/", include("alongside.plans.urls")),
    path("persons/<int:person_id>/", include("alongside.relationship.urls")),
    path("persons/<int:person_id>/crisis/", include("alongside.safety.urls")),
    path("crisis/", include("alongside.safety.urls_find")),
    path("persons/<int:person_id>/network/", include("alongside.network.urls")),
    path("supporters/", include("alongside.network.urls_activate")),
    path("privacy/", include("alongside.audit.urls")),
    path("persons/<int:person_id>/reviews/", include("alongside.reviews.urls")),
    path("persons/<int:person_id>/meetings/", include("alongside.meetings.urls")),
    path("persons/<int:person_id>/discharge/", include("alongside.discharge.urls")),
    path("persons/<int:person_id>/measures/", include("alongside.measures.urls")),
    path("persons/<int:person_id>/now/", include("alongside.alerts.urls")),
    path("reviews/", include("alongside.reviews.urls_service")),
    path("meetings/", include("alongside.meetings.urls_service")),
    path("discharge/", include("alongside.discharge.urls_service")),
    path("measures/", include("alongside.measures.urls_service")),
    path("narratives/", include("alongside.narratives.urls_service")),
    path("insight/", include("alongside.insight.urls")),
    path("administration/", include("alongside.administration.urls")),
    path("persons/<int:person_id>/", include("alongside.administration.urls_care")),
    path("", include("alongside.administration.urls_public")),
    path("api/v1/", api.urls),
    path("fhir/R4/", include("alongside.fhir.urls")),
    path("oauth/", include("alongside.fhir.urls_oauth")),
]

handler500 = "alongside.core.views.server_error"
