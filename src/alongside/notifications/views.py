"""A user's own notifications: all of them, marking them read (one or all), and how they want to
be told. Only one's own: another user's notification id changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.roles import primary_role
from alongside.notifications import services
from alongside.notifications.forms import PreferencesForm
from alongside.notifications.models import Notification

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Every notification of the user, newest first, and their preferences."""
    user = _user(request)
    current = services.preferences_for(user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"in_app": current.in_app, "email": current.email},
    )
    if form.is_bound and form.is_valid():
        services.set_preferences(
            Actor(user, primary_role(user)),
            in_app=form.cleaned_data["in_app"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:list")
    page = Paginator(Notification.objects.filter(recipient=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "form": form, "has_email": bool(user.email)}
    return render(request, "notifications/list.html", context)


@require_POST
@login_required
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.mark_read(_user(request), notification_id)
    return _back(request)


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(_user(request))
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return _back(request)
