"""Staff pages for measures: scheduling a measure for a person, and the due and overdue list.

Scheduling needs the person's ``measures`` section and a staff relationship (a unit care role or a
professional network role); the person and their family get 404. The due list shows only persons
whose measures the staff member may see, and records one audit ``list`` event per person shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside import access
from alongside.accounts.models import User
from alongside.core.pages import add_errors, require
from alongside.core.roles import current_staff_role
from alongside.measures import queries, services
from alongside.measures.forms import ScheduleForm
from alongside.measures.models import Schedule
from alongside.measures.views import language, open_measures, page_context
from alongside.network.scopes import Section


@dataclass(frozen=True)
class DueRow:
    item: queries.DueItem
    name: str


@require_http_methods(["GET", "POST"])
@login_required
def schedule(request: HttpRequest, person_id: int) -> HttpResponse:
    """Ask the person to answer a measure once, every few weeks, or before each plan review."""
    grant = open_measures(request, person_id, why="measure schedules")
    require(grant.acts_as_staff)
    form = ScheduleForm(request.POST if request.method == "POST" else None, language=language())
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_measure(
                grant.actor,
                grant.person,
                form.cleaned_data["instrument"],
                kind=form.cleaned_data["kind"],
                every_weeks=form.cleaned_data["every_weeks"],
                first_due_on=form.cleaned_data["first_due_on"],
            )
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("measures:schedule", person_id=person_id)
    context = {
        **page_context(grant),
        "form": form,
        "schedules": [
            {"schedule": found, "name": found.instrument.name(language())}
            for found in Schedule.objects.filter(person=grant.person, active=True)
            .select_related("instrument")
            .order_by("next_due_on", "id")
        ],
    }
    return render(request, "measures/schedule.html", context)


@require_POST
@login_required
def end_schedule(request: HttpRequest, person_id: int, schedule_id: int) -> HttpResponse:
    found, grant = access.open_record(
        request,
        Schedule.objects.filter(person_id=person_id, active=True),
        schedule_id,
        Section.MEASURES,
        why="stop a measure schedule",
    )
    require(grant.acts_as_staff)
    try:
        services.end_schedule(grant.actor, found)
    except PermissionDenied as denied:
        raise Http404() from denied
    return redirect("measures:schedule", person_id=person_id)


@require_GET
@login_required
def due(request: HttpRequest) -> HttpResponse:
    """Measures due and overdue for the persons this staff member may see."""
    assert isinstance(request.user, User)
    role = current_staff_role(request.user)
    if role is None:
        raise Http404()
    items = queries.due_for_staff(access.visible_persons(request.user, Section.MEASURES))
    persons = list({item.person.pk: item.person for item in items}.values())
    access.audit_list(request, role, persons, why="measures due")
    lang = language()
    rows = [DueRow(item, item.instrument.name(lang)) for item in items]
    groups = [
        {
            "id": "overdue",
            "title": _("Overdue"),
            "rows": [row for row in rows if row.item.overdue],
            "empty": _("Nothing is overdue."),
        },
        {
            "id": "due-today",
            "title": _("Due today"),
            "rows": [row for row in rows if not row.item.overdue],
            "empty": _("Nothing else is due today."),
        },
    ]
    context = {"groups": groups, "today": timezone.localdate()}
    return render(request, "measures/due.html", context)
