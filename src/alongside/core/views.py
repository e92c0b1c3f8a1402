"""The home redirect and the health check."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET

from alongside.core.observability import current_request_id
from alongside.core.roles import kinds_of

log = logging.getLogger("alongside.health")


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
    """Liveness: the process answers. Touches no database, says nothing about any person."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness for load balancers: 200 only when the database answers a query, else 503, so
    traffic moves away from an app server that cannot reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("readiness: the database does not answer")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request id to quote; rendered without the database or context
    processors, which may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id()}))
