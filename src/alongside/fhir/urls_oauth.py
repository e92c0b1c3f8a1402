"""OAuth 2.0 endpoints for SMART on FHIR (mounted at ``oauth/``): django-oauth-toolkit's
authorize, token and revoke views, and nothing of its application management pages."""

from typing import Any
from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponse
from django.urls import path
from oauth2_provider import views as oauth

from alongside.core.middleware import CONTENT_SECURITY_POLICY
from alongside.fhir.scopes import describe

app_name = "oauth"


class AuthorizationView(oauth.AuthorizationView):  # type: ignore[misc]
    """The consent page, in the site's layout and the reader's language."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["scopes_descriptions"] = describe(list(context.get("scopes", [])))
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The consent form posts here and is redirected to the app: the page's CSP lets the
        form's redirect go to the origins the app registered, and nowhere else."""
        response: HttpResponse = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        application = context.get("application")
        if application is not None:
            origins = sorted(
                {
                    f"{urlparse(uri).scheme}://{urlparse(uri).netloc}"
                    for uri in str(application.redirect_uris).split()
                    if urlparse(uri).scheme in ("http", "https") and urlparse(uri).netloc
                }
            )
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
                "form-action 'self'", " ".join(["form-action 'self'", *origins])
            )
        return response


urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke_token"),
]
