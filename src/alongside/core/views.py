"""The home redirect and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from alongside.core.roles import kinds_of


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page that is theirs: staff to the caseload, a person to their home."""
    kinds = kinds_of(request.user)
    if kinds.is_staff_member:
        return redirect("workspace:caseload")
    if kinds.is_person:
        return redirect("portal:me")
    if kinds.is_supporter:
        return redirect("portal:supporting")
    if kinds.is_administrator:
        return redirect("administration:home")
    return render(request, "core/nothing_yet.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers. Says nothing about any person."""
    return JsonResponse({"status": "ok"})
