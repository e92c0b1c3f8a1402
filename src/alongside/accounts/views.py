"""Login, logout and the language choice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts import services
from alongside.accounts.forms import ThrottledLoginForm
from alongside.accounts.models import User


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            _set_language_cookie(response, language)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; Django's validators (length, common, numeric, similarity)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


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
