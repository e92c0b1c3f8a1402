"""The person's own pages, and the page for supporters the person invited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alongside import access
from alongside.alerts.models import Alert
from alongside.alerts.queries import crisis_plan_first
from alongside.network import consent
from alongside.notifications.services import unread_for
from alongside.people.models import Person, Stay, StayStatus
from alongside.plans.queries import what_matters
from alongside.safety.models import BreakGlassAccess, SharedDecision


def _next_review(person_id: int) -> dict[str, object]:
    """The next plan review of the person's active stays (one query), and how far away it is."""
    due = (
        Stay.objects.filter(
            person_id=person_id, status=StayStatus.ACTIVE, next_review_on__isnull=False
        )
        .order_by("next_review_on")
        .values_list("next_review_on", flat=True)
        .first()
    )
    days = (due - timezone.localdate()).days if due else None
    return {
        "next_review_on": due,
        "review_in_days": days,
        "review_overdue_by": -(days or 0),
        # The discharge checklist and handover summary belong to a stay.
        "has_stay": Stay.objects.filter(person_id=person_id).exists(),
    }


def _what_to_do_now(person: Person) -> dict[str, object]:
    """When her answers raised an alert nobody has acknowledged yet: her crisis plan first."""
    if not Alert.objects.filter(person=person, acknowledged_at__isnull=True).exists():
        return {"alert_open": False}
    plan, _confirmed = crisis_plan_first(person)
    return {"alert_open": True, "alert_plan": plan}


@require_GET
@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The person's home: their name, their network and what each member can see, their plan."""
    grant = access.open_own_person(request, why="my home")
    context = {
        "person": grant.person,
        # Read from the access layer itself, so her home never says less than is so.
        "viewers": consent.viewer_rows(grant),
        **_next_review(grant.person.pk),
        **what_matters(grant.person.pk),
        "emergency_openings": list(
            BreakGlassAccess.objects.filter(person=grant.person).select_related("user")[:10]
        ),
        "notifications": unread_for(grant.user),
        **_what_to_do_now(grant.person),
        "without_agreement": list(
            SharedDecision.objects.filter(
                person=grant.person, without_agreement_at__isnull=False
            ).order_by("-without_agreement_at")[:5]
        ),
    }
    return render(request, "portal/me.html", context)


@require_GET
@login_required
def supporting(request: HttpRequest) -> HttpResponse:
    """For family and friends: whom they support and which parts each person shares with them."""
    memberships = access.supporter_memberships(request.user)
    if not memberships:
        raise Http404()
    access.audit_list(
        request, memberships[0].role, [m.person for m in memberships], why="people I support"
    )
    return render(request, "portal/supporting.html", {"memberships": memberships})
