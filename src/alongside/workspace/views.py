"""Staff pages: the caseload and a person's overview. Thin: data comes through the access layer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alongside import access
from alongside.accounts.models import User
from alongside.network.scopes import Section
from alongside.notifications.services import unread_for
from alongside.organisations.models import CARE_ROLES, OrganisationKind, Role, StaffRole
from alongside.plans.queries import what_matters
from alongside.workspace import queries

CASELOAD_PAGE_SIZE = 25


@require_GET
@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """Persons this staff member is linked to, with stay, last contact and next review."""
    assert isinstance(request.user, User)
    # The user's current staff roles, oldest first: the first names the audit's role, as
    # ``current_staff_role`` does, without a query of its own.
    held = list(
        StaffRole.objects.current()
        .filter(user=request.user)
        .select_related("unit__organisation")
        .order_by("pk")
    )
    if not held:
        raise Http404()
    role = str(held[0].role)
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "name")
    if sort not in queries.CASELOAD_SORTS:
        sort = "name"
    persons = queries.caseload(request.user, search=search, sort=sort)
    page = Paginator(persons, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queries.caseload_rows(list(page.object_list))
    access.audit_list(request, role, [row.person for row in rows], why="caseload")
    context = {
        "page": page,
        "rows": rows,
        "search": search,
        "sort": sort,
        "notifications": unread_for(request.user),
        "led_units": [
            staff_role.unit
            for staff_role in held
            if staff_role.role in {Role.TEAM_LEADER, Role.SERVICE_MANAGER}
        ],
        # The emergency search answers 404 to anyone without a care role in a hospital
        # (``access.emergency_search``): offer it only to those it serves.
        "can_find_crisis_plan": any(
            staff_role.role in CARE_ROLES
            and staff_role.unit.organisation.kind == OrganisationKind.HOSPITAL
            for staff_role in held
        ),
    }
    template = (
        "workspace/_caseload_table.html"
        if request.headers.get("HX-Request")
        else "workspace/caseload.html"
    )
    return render(request, template, context)


@require_GET
@login_required
def person_overview(request: HttpRequest, person_id: int) -> HttpResponse:
    """Who the person is and what matters to them, before anything else."""
    grant = access.open_person(request, person_id, Section.PLAN, why="overview")
    context = queries.overview(grant)
    context.update(what_matters(grant.person.pk))
    context["sees_notes"] = grant.allows(Section.NOTES)
    context["sees_measures"] = grant.allows(Section.MEASURES)
    context["sees_meetings"] = grant.allows(Section.MEETINGS)
    context["open_alerts"] = (
        queries.open_alert_count(grant.person) if context["sees_measures"] else 0
    )
    return render(request, "workspace/person_overview.html", context)
