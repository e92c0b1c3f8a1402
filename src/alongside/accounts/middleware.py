"""Per-request account rules: the client's address, session timeouts, and the steps a user must
take before anything else (choose their own password, set up two-step verification)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.accounts import addresses, sessions
from alongside.accounts.models import User
from alongside.accounts.security import needs_mfa_setup

Handler = Callable[[HttpRequest], HttpResponse]


class ClientAddressMiddleware:
    """Resolves the client's address once; everything else reads ``request.client_address``."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, addresses.ATTRIBUTE, addresses.resolve(request))
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session after the idle or absolute time set for its kind of user."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User):
            now = time.time()
            if sessions.expired(request.session, now):
                logout(request)
                messages.info(
                    request, _("You were logged out to keep your information safe. Please log in.")
                )
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            sessions.touch(request.session, now)
        return self.get_response(request)


# Pages a user can always reach, so the required steps can be taken (and one can leave).
OPEN_PREFIXES = (
    "/accounts/logout/",
    "/accounts/language/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/static/",
    "/healthz",
)


class RequiredStepsMiddleware:
    """A temporary password is changed, and two-step verification set up where the user's
    organisation requires it, before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and not request.path.startswith(OPEN_PREFIXES):
            password_page = reverse("accounts:password")
            if user.must_change_password:
                if request.path != password_page:
                    messages.info(
                        request,
                        _(
                            "Someone else chose your current password. Please choose your own "
                            "before you go on."
                        ),
                    )
                    return redirect(password_page)
            elif needs_mfa_setup(request, user):
                messages.info(
                    request,
                    _(
                        "Your organisation asks staff to use two-step verification. Please set "
                        "it up before you go on."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


__all__ = ["ClientAddressMiddleware", "RequiredStepsMiddleware", "SessionTimeoutMiddleware"]
