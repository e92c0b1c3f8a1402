"""The privacy contact's page: the flags people raised on their access logs, and the answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.audit import services
from alongside.audit.log import Actor
from alongside.audit.models import AccessFlag, PrivacyContact
from alongside.audit.queries import basis_of, section_of

PRIVACY_ROLE = "privacy_contact"


def _organisations(request: HttpRequest) -> list[int]:
    found = list(
        PrivacyContact.objects.filter(user_id=int(request.user.pk or 0)).values_list(
            "organisation_id", flat=True
        )
    )
    if not found:
        raise Http404()
    return found


@require_GET
@login_required
def flags(request: HttpRequest) -> HttpResponse:
    """Open flags first, then answered ones; only for the organisations they answer for."""
    organisations = _organisations(request)
    rows = list(
        AccessFlag.objects.filter(organisation_id__in=organisations)
        .select_related("event", "organisation")
        .order_by("answered_at", "-flagged_at")[:200]
    )
    shown = [(f, section_of(f.event), basis_of(f.event)) for f in rows]
    return render(request, "audit/flags.html", {"flags": shown})


@require_POST
@login_required
def answer(request: HttpRequest, flag_id: int) -> HttpResponse:
    organisations = _organisations(request)
    raised = (
        AccessFlag.objects.filter(pk=flag_id, organisation_id__in=organisations)
        .select_related("event", "organisation")
        .first()
    )
    if raised is None:
        raise Http404()
    assert request.user.is_authenticated
    try:
        services.answer(Actor(request.user, PRIVACY_ROLE), raised, request.POST.get("answer", ""))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, _("Answered. The person is told."))
    return redirect("audit:flags")
