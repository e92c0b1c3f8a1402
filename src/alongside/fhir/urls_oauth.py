"""OAuth 2.0 endpoints for SMART on FHIR (mounted at ``oauth/``): django-oauth-toolkit's
authorize, token and revoke views, and nothing of its application management pages."""

from typing import Any

from django.urls import path
from oauth2_provider import views as oauth

from alongside.fhir.scopes import describe

app_name = "oauth"


class AuthorizationView(oauth.AuthorizationView):  # type: ignore[misc]
    """The consent page, in the site's layout and the reader's language."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["scopes_descriptions"] = describe(list(context.get("scopes", [])))
        return context


urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke_token"),
]
