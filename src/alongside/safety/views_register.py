"""The restrictive practice register: episodes and debriefs for a person, figures for a unit."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside import access
from alongside.core.pages import add_errors, require
from alongside.core.params import parse_date
from alongside.network.scopes import Section
from alongside.organisations.models import Role, StaffRole, Unit
from alongside.people.models import Stay, StayStatus
from alongside.safety import register
from alongside.safety.decisions import DecisionOption, SharedDecision
from alongside.safety.forms_register import DebriefForm, DecisionForm, EpisodeForm
from alongside.safety.restrictive import MeasureType, RestrictiveEpisode


def _ward(grant: access.PersonAccess) -> Unit | None:
    """The unit of the person's active stay where the recorder works."""
    stay = (
        Stay.objects.filter(
            person=grant.person,
            status=StayStatus.ACTIVE,
            unit_id__in=StaffRole.objects.current().filter(user=grant.user).values("unit_id"),
        )
        .select_related("unit")
        .first()
    )
    return stay.unit if stay else None


@require_http_methods(["GET", "POST"])
@login_required
def episodes(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = access.open_person(request, person_id, Section.NOTES, why="restrictive practice")
    ward = _ward(grant) if grant.basis is access.Basis.UNIT else None
    form = EpisodeForm(request.POST or None, organisation_id=ward.organisation_id) if ward else None
    if request.method == "POST":
        if form is None or ward is None:
            raise Http404()
        if form.is_valid():
            data = form.cleaned_data
            try:
                register.record_episode(
                    grant.actor,
                    grant.person,
                    ward,
                    measure=get_object_or_404(MeasureType, pk=data["measure"]),
                    started_at=data["started_at"],
                    ended_at=data["ended_at"],
                    reason=data["reason"],
                    alternatives_tried=data["alternatives_tried"],
                    staff_involved=data["staff_involved"],
                )
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                messages.success(request, _("The measure is recorded."))
                return redirect("safety:episodes", person_id=person_id)
    rows = [
        (episode, register.debrief_due(episode))
        for episode in RestrictiveEpisode.objects.filter(person_id=person_id)
        .select_related("measure", "debrief", "unit")
        .prefetch_related("accounts")
    ]
    context = {"person": grant.person, "grant": grant, "rows": rows, "form": form}
    return render(request, "safety/episodes.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def debrief(request: HttpRequest, person_id: int, episode_id: int) -> HttpResponse:
    episode, grant = access.open_record(
        request,
        RestrictiveEpisode.objects.filter(person_id=person_id).select_related("measure"),
        episode_id,
        Section.NOTES,
        why="restrictive practice: debrief",
    )
    require(grant.basis is access.Basis.UNIT and not hasattr(episode, "debrief"))
    form = DebriefForm(request.POST or None, initial={"held_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            register.record_debrief(grant.actor, episode, **form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The debrief is saved."))
            return redirect("safety:episodes", person_id=person_id)
    context = {"person": grant.person, "episode": episode, "form": form}
    return render(request, "safety/debrief.html", context)


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    start, end = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    if start is None or end is None:
        return today - timedelta(days=90), today + timedelta(days=1)
    return (start, end) if start < end else (end, start)


@require_GET
@login_required
def unit_figures(request: HttpRequest, unit_id: int) -> HttpResponse:
    """For the unit's team leader or service manager: learning figures, not surveillance."""
    unit = get_object_or_404(Unit, pk=unit_id)
    leads = StaffRole.objects.current().filter(
        user=request.user.pk, unit=unit, role__in=[Role.TEAM_LEADER, Role.SERVICE_MANAGER]
    )
    if not leads.exists():
        raise Http404()
    start, end = _period(request)
    overdue = register.overdue_debriefs(unit)
    if overdue:
        access.audit_list(
            request, Role.TEAM_LEADER, [e.person for e in overdue], why="overdue debriefs"
        )
    context = {
        "unit": unit,
        "start": start,
        "end": end,
        "figures": register.unit_figures(unit, start, end),
        "overdue": overdue,
        "small_number": register.SMALL_NUMBER,
    }
    return render(request, "safety/unit_figures.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def decisions(request: HttpRequest, person_id: int) -> HttpResponse:
    """Decisions made together; staff record one here."""
    grant = access.open_person(request, person_id, Section.PLAN, why="shared decisions")
    form = DecisionForm(request.POST or None) if grant.acts_as_staff else None
    if request.method == "POST":
        if form is None:
            raise Http404()
        if form.is_valid():
            data = form.cleaned_data
            try:
                register.record_decision(
                    grant.actor,
                    grant.person,
                    question=data["question"],
                    options=form.options(),
                    what_matters=data["what_matters"],
                    decision=data["decision"],
                    decided_by=data["decided_by"],
                    present=data["present"],
                    advocate_offered=data["advocate_offered"],
                    advocate_took_part=data["advocate_took_part"],
                    review_on=data["review_on"],
                )
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                messages.success(request, _("The decision is saved."))
                return redirect("safety:decisions", person_id=person_id)
    records = SharedDecision.objects.filter(person_id=person_id).prefetch_related("options")
    context = {"person": grant.person, "grant": grant, "records": records, "form": form}
    return render(request, "safety/decisions.html", context)


@require_POST
@login_required
def decision_view(request: HttpRequest, person_id: int, decision_id: int) -> HttpResponse:
    """The person marks their preferred option, or that it was decided without their agreement."""
    found, grant = access.open_record(
        request,
        SharedDecision.objects.filter(person_id=person_id),
        decision_id,
        Section.PLAN,
        why="shared decision: my view",
    )
    require(grant.is_self)
    try:
        if request.POST.get("action") == "without_agreement":
            register.mark_without_agreement(
                grant.actor, found, str(request.POST.get("words", ""))[:4000]
            )
        else:
            option = get_object_or_404(
                DecisionOption, decision=found, pk=request.POST.get("option") or 0
            )
            register.mark_preference(grant.actor, found, option)
    except PermissionDenied as denied:
        raise Http404() from denied
    messages.success(request, _("Your view is saved."))
    return redirect("safety:decisions", person_id=person_id)
