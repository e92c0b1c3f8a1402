"""Discharge pages of one person: the checklist, ending the stay, the handover summary and its
exports. Everything needs the person's ``plan`` section (access layer); any refusal is a 404.

Who does what: staff (a unit role, or a professional in the network with a current staff role,
such as the municipal caseworker) record the checklist and draft the summary; only staff of the
stay's own unit end the stay; only the person comments on and approves the summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside import access
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.discharge import services
from alongside.discharge.fhir import export_bundle
from alongside.discharge.forms import ChecklistForm, DischargeForm
from alongside.discharge.items import configured_organisation
from alongside.discharge.pdf import render_handover_pdf
from alongside.discharge.queries import checklist_state, focus_stay, may_end_stay, summary_for
from alongside.discharge.services import StaleChecklist
from alongside.network.scopes import Section
from alongside.people.models import Stay, StayStatus
from alongside.relationship.queries import writes_as_staff


def open_stay(request: HttpRequest, person_id: int, why: str) -> tuple[access.PersonAccess, Stay]:
    grant = access.open_person(request, person_id, Section.PLAN, why=why)
    stay = focus_stay(grant.person)
    require(stay is not None)
    assert stay is not None
    return grant, stay


def may_end(grant: access.PersonAccess, stay: Stay) -> bool:
    return (
        not grant.is_self and stay.status == StayStatus.ACTIVE and may_end_stay(grant.user.pk, stay)
    )


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def checklist(request: HttpRequest, person_id: int) -> HttpResponse:
    grant, stay = open_stay(request, person_id, "discharge checklist")
    state = checklist_state(stay)
    may_write = writes_as_staff(grant) and stay.status == StayStatus.ACTIVE
    if request.method == "POST":
        require(may_write)
    form = ChecklistForm(
        state.rows,
        request.POST if request.method == "POST" else None,
        initial={"version": state.version},
    )
    status = 200
    stale = False
    if form.is_bound and form.is_valid():
        try:
            services.save_checklist(
                grant.actor, stay, version=form.cleaned_data["version"], entries=form.entries()
            )
        except StaleChecklist as conflict:
            # Nothing was written. Show what they typed again, with the saved version beside it;
            # saving once more (now from the current version) keeps their values.
            data = request.POST.copy()
            data["version"] = str(conflict.current_version)
            state = checklist_state(stay)
            form = ChecklistForm(state.rows, data)
            form.is_valid()
            stale = True
            status = 409
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("discharge:checklist", person_id=person_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "stay": stay,
        "state": state,
        "form": form if may_write else None,
        "stale": stale,
        "may_end": may_end(grant, stay),
        "summary": summary_for(stay),
        # Team leaders and service managers change their organisation's checklist from here.
        "configures_checklist": not grant.is_self
        and configured_organisation(grant.user.pk) is not None,
    }
    return render(request, "discharge/checklist.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def end(request: HttpRequest, person_id: int) -> HttpResponse:
    """End the stay as a discharge: refused while required items are open, unless a reason is
    given. Staff of the stay's unit only."""
    grant, stay = open_stay(request, person_id, "discharge")
    require(may_end(grant, stay))
    form = DischargeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.discharge(
                grant.actor,
                stay,
                ended_on=form.cleaned_data["ended_on"],
                override_reason=form.cleaned_data["override_reason"],
                override_code=form.cleaned_data["override_code"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The stay has ended. The discharge is recorded."))
            return redirect("discharge:checklist", person_id=person_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "stay": stay,
        "state": checklist_state(stay),
        "form": form,
    }
    return render(request, "discharge/end.html", context)


@require_GET
@login_required
def handover_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    _grant, stay = open_stay(request, person_id, "handover summary pdf")
    summary = summary_for(stay)
    require(summary is not None and summary.is_approved)
    assert summary is not None
    response = HttpResponse(
        render_handover_pdf(summary, get_language() or "en"), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="handover-summary.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def handover_fhir(request: HttpRequest, person_id: int) -> HttpResponse:
    _grant, stay = open_stay(request, person_id, "handover summary fhir")
    summary = summary_for(stay)
    require(summary is not None and summary.is_approved)
    assert summary is not None
    response = HttpResponse(export_bundle(summary), content_type="application/fhir+json")
    response["Content-Disposition"] = 'attachment; filename="handover-summary.fhir.json"'
    response["Cache-Control"] = "private, no-store"
    return response
