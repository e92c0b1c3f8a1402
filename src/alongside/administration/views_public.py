"""Pages reached without logging in: accepting a staff invitation and activating a person's own
login with a code. Both spend a single-use secret; a bad, used or expired one gets a clear,
translated answer and changes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alongside.accounts.addresses import client_address
from alongside.accounts.models import User
from alongside.administration import activation, services, tokens
from alongside.administration.forms import CodeForm, PasswordForm
from alongside.administration.models import Invitation
from alongside.core.pages import add_errors


def _log_in(request: HttpRequest, user: User) -> None:
    """Log the new password's owner in, with the first configured backend (the accounts room
    decides which: Django's model backend today, allauth's once it lands)."""
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])


def _accept_with_account(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    """The invitee has an account already (staff of another organisation): logged out, they are
    asked to log in and come back; logged in, one button adds the roles to that account."""
    errors: list[str] = []
    if request.method == "POST" and request.user.is_authenticated:
        assert isinstance(request.user, User)
        try:
            services.accept_invitation_as(token, request.user)
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(
                request,
                _("You now work in %(organisation)s too.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("home")
    context = {
        "invitation": invitation,
        "with_account": True,
        "errors": errors,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "administration/accept.html", context, status=400 if errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for(token)
    except ValidationError as refused:
        return render(
            request, "administration/accept.html", {"refused": refused.messages}, status=410
        )
    existing = services.existing_account_for(invitation)
    if existing is not None:
        return _accept_with_account(request, token, invitation)
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = services.accept_invitation(token, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            _log_in(request, user)
            # Where the organisation requires two-step verification, the next page leads her
            # to set it up before anything else (accounts.middleware.RequiredStepsMiddleware).
            return redirect("home")
    context = {"invitation": invitation, "form": form, "username": invitation.email}
    return render(request, "administration/accept.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Type the code from the paper; then choose a password."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            activation.check_code_throttled(form.cleaned_data["code"], client_address(request))
        except ValidationError as invalid:
            add_errors(form, invalid)
            if isinstance(invalid, activation.TooManyTries):
                status = 429
        else:
            return redirect(
                "administration_public:activate_code",
                code=tokens.normalise_code(form.cleaned_data["code"]),
            )
    return render(request, "administration/activate.html", {"code_form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def activate_code(request: HttpRequest, code: str) -> HttpResponse:
    """The page the QR code opens: choose a password; the code is spent when it is saved."""
    try:
        found = activation.check_code_throttled(code, client_address(request))
    except ValidationError as refused:
        return render(
            request,
            "administration/activate.html",
            {"refused": refused.messages, "code_form": CodeForm()},
            status=429 if isinstance(refused, activation.TooManyTries) else 410,
        )
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = activation.activate(code, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            _log_in(request, user)
            return redirect("home")
    username = found.person.user.username if found.person.user else ""
    context = {"form": form, "username": username, "person": found.person}
    # The code is in the address: the site-wide "same-origin" referrer policy keeps it from
    # other sites, and the page is never cached.
    return render(request, "administration/activate.html", context)
