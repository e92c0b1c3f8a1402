"""The "what to do now" page (her crisis plan first, then the alerts) and acknowledging an alert.
Thin: access through ``access``, writes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside import access
from alongside.alerts import queries, services
from alongside.alerts.models import Alert
from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.core.pages import denied_as_404, require
from alongside.network.scopes import Section
from alongside.organisations.models import CARE_ROLES


@require_GET
@login_required
def now(request: HttpRequest, person_id: int) -> HttpResponse:
    """Her crisis plan first (what she said helps), then what was raised and who has seen it."""
    grant = access.open_person(request, person_id, Section.MEASURES, why="alerts: what to do now")
    staff = grant.acts_as_staff
    plan, confirmed = (None, False)
    if grant.allows(Section.CRISIS_PLAN):
        plan, confirmed = queries.crisis_plan_first(grant.person)
        if plan is not None:
            record(
                grant.actor,
                AuditAction.READ,
                obj=plan,
                person_id=person_id,
                why=f"crisis_plan: what to do now [{grant.basis.value}]",
                request=request,
            )
    open_alerts, done = queries.alerts_for(grant.person, get_language() or "en", staff=staff)
    context = {
        "person": grant.person,
        "grant": grant,
        "staff": staff,
        "may_acknowledge": staff and grant.role in CARE_ROLES,
        "plan": plan,
        "sees_crisis_plan": grant.allows(Section.CRISIS_PLAN),
        "confirmed": confirmed,
        "open_alerts": open_alerts,
        "done": done,
    }
    return render(request, "alerts/now.html", context)


@require_POST
@login_required
@denied_as_404
def acknowledge(request: HttpRequest, person_id: int, alert_id: int) -> HttpResponse:
    """Care staff acknowledge an alert: seen, and someone is responding."""
    alert, grant = access.open_record(
        request,
        Alert.objects.filter(person_id=person_id),
        alert_id,
        Section.MEASURES,
        why="alerts: acknowledge",
    )
    require(grant.acts_as_staff)
    try:
        services.acknowledge(grant.actor, alert)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Acknowledged. The care team can see who did it and when."))
    return redirect("alerts:now", person_id=person_id)
