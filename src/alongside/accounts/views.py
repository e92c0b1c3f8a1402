"""Login, logout, password change, ending every session, and the language choice.

Login and password change are allauth's views with our forms and templates; allauth's other pages
(password reset, two-step verification, single sign-on) are mounted in ``allauth_urls``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import PasswordChangeView as AllauthPasswordChangeView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts import security, services
from alongside.accounts.forms import AlongsideLoginForm, ThrottledChangePasswordForm
from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.middleware import CONTENT_SECURITY_POLICY
from alongside.core.roles import primary_role


def _sso_apps() -> list[dict[str, Any]]:
    apps: list[dict[str, Any]] = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]  # type: ignore[index]
    return apps


def _allow_sso_form_action(response: HttpResponseBase) -> HttpResponseBase:
    """The single sign-on button posts here and is redirected to the identity provider; the
    browser applies ``form-action`` to that redirect, so the provider's origin is allowed on
    this page only."""
    origins = []
    for app in _sso_apps():
        parts = urlsplit(str(app.get("settings", {}).get("server_url", "")))
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    if origins:
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", " ".join(["form-action 'self'", *sorted(set(origins))])
        )
    return response


class LoginView(AllauthLoginView):
    form_class = AlongsideLoginForm
    template_name = "accounts/login.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return _allow_sso_form_action(super().dispatch(request, *args, **kwargs))

    def get_form_class(self) -> type[AlongsideLoginForm]:
        return AlongsideLoginForm

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        user = self.request.user
        if isinstance(user, User) and user.preferred_language:
            _set_language_cookie(response, user.preferred_language)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_apps"] = _sso_apps()
        return context


class PasswordChangeView(AllauthPasswordChangeView):
    """Change one's own password; Django's validators (length, common, numeric, similarity)."""

    template_name = "accounts/password_change.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = request.user
        if isinstance(user, User) and not user.has_usable_password():
            messages.info(
                request, _("You sign in through your organisation; it keeps your password.")
            )
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self) -> type[ThrottledChangePasswordForm]:
        return ThrottledChangePasswordForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def get_default_success_url(self) -> str:
        return reverse("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_GET
@login_required
def security_page(request: HttpRequest) -> HttpResponse:
    """One's own sign-in settings: password, two-step verification, ending every session."""
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/security.html",
        {
            "has_second_factor": security.has_second_factor(user),
            "mfa_required": security.mfa_required_for(user),
            "uses_password": user.has_usable_password(),
        },
    )


@require_POST
@login_required
def end_all_sessions(request: HttpRequest) -> HttpResponse:
    """Log out everywhere: every session of this user, on every device, ends now."""
    user = request.user
    assert isinstance(user, User)
    services.end_all_sessions(Actor(user, primary_role(user)), user, request=request)
    logout(request)
    messages.success(request, _("You have been logged out everywhere."))
    return redirect("accounts:login")


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account for logged-in users."""
    language = str(request.POST.get("language", ""))
    next_url = str(request.POST.get("next", "/"))
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in services.LANGUAGE_CODES and check_for_language(language):
        _set_language_cookie(response, language)
        if isinstance(request.user, User):
            services.set_preferred_language(request.user, language)
    return response
