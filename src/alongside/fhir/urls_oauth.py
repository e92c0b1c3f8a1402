"""OAuth 2.0 endpoints for SMART on FHIR (mounted at ``oauth/``): django-oauth-toolkit's
authorize, token and revoke views, and nothing of its application management pages.

A practitioner launch with ``launch/patient`` (a signed-in user with no record of their own)
shows a patient picker on the consent page: the persons the access layer lets the user see,
none chosen beforehand, the list audited like any list page. The choice is checked again when
the form comes back and travels with the authorization code (``fhir.oauth``)."""

from typing import Any
from urllib.parse import urlparse

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from oauth2_provider import views as oauth
from oauth2_provider.models import get_application_model

from alongside import access
from alongside.core.middleware import CONTENT_SECURITY_POLICY
from alongside.fhir.scopes import describe
from alongside.network.scopes import Section
from alongside.people.models import Person

app_name = "oauth"
LAUNCH_PATIENT = "launch/patient"


def choosable(user: Any) -> QuerySet[Person]:
    """The persons a user may launch an app for: anyone whose record they see in any section."""
    condition = Q()
    for section in Section:
        condition |= Q(pk__in=access.visible_persons(user, section).values("pk"))
    return Person.objects.filter(condition).order_by("preferred_name", "name", "pk")


def needs_picker(request: HttpRequest, scopes: list[str]) -> bool:
    return (
        LAUNCH_PATIENT in scopes
        and request.user.is_authenticated
        and not Person.objects.filter(user=request.user).exists()
    )


def _with_csp(response: HttpResponse, application: Any) -> HttpResponse:
    """The consent form posts here and is redirected to the app: the page's CSP lets the form's
    redirect go to the origins the app registered, and nowhere else."""
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


class AuthorizationView(oauth.AuthorizationView):  # type: ignore[misc]
    """The consent page, in the site's layout and the reader's language."""

    chosen: Person | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        scopes = [str(s) for s in context.get("scopes", [])]
        context["scopes_descriptions"] = describe(scopes)
        if needs_picker(self.request, scopes):
            patients = list(choosable(self.request.user))
            context["patients"] = patients
            context["patient_picker"] = True
            access.audit_list(self.request, "api", patients, why="SMART launch: patient picker")
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        return _with_csp(response, context.get("application"))

    def form_valid(self, form: Any) -> HttpResponse:
        scopes = str(form.cleaned_data.get("scope", "")).split()
        if form.cleaned_data.get("allow") and needs_picker(self.request, scopes):
            wanted = str(self.request.POST.get("patient", ""))
            self.chosen = (
                choosable(self.request.user).filter(fhir_id=wanted).first()
                if _is_uuid(wanted)
                else None
            )
            if self.chosen is None:
                form.add_error(None, _("Choose the person the app will work with."))
                application = (
                    get_application_model()
                    .objects.filter(client_id=form.cleaned_data.get("client_id"))
                    .first()
                )
                page = self.render_to_response(
                    self.get_context_data(form=form, application=application, scopes=scopes)
                )
                page.status_code = 400
                return _with_csp(page, application)
        response: HttpResponse = super().form_valid(form)
        return response

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict[str, Any], allow: bool
    ) -> Any:
        if allow and self.chosen is not None:
            credentials = {**credentials, "smart_patient": self.chosen.pk}
        return super().create_authorization_response(request, scopes, credentials, allow)


def _is_uuid(value: str) -> bool:
    from alongside.fhir.ids import is_uuid

    return is_uuid(value)


urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke_token"),
    # The public keys that verify our id_tokens (404 when OpenID Connect is off).
    path(".well-known/jwks.json", oauth.JwksInfoView.as_view(), name="jwks"),
]
