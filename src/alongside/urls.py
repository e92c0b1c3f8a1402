"""The URL map. Every pattern must be declared in tests/access_matrix.py, or the suite fails."""

from django.urls import include, path

from alongside.api import api
from alongside.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("alongside.accounts.urls")),
    path("workspace/", include("alongside.workspace.urls")),
    path("me/", include("alongside.portal.urls")),
    path("persons/<int:person_id>/plan/", include("alongside.plans.urls")),
    path("persons/<int:person_id>/", include("alongside.relationship.urls")),
    path("persons/<int:person_id>/crisis/", include("alongside.safety.urls")),
    path("crisis/", include("alongside.safety.urls_find")),
    path("api/v1/", api.urls),
]
