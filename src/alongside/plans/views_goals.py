"""Goals: writing one, its page (steps, check-ins, the person's view), editing, status, links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside import access
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.core.params import parse_ids
from alongside.plans import services
from alongside.plans.forms import CheckInForm, GoalForm, StanceForm, StatusForm, StepForm
from alongside.plans.models import Goal, GoalStatus, GoalStep, Origin, Stance, TextRevision
from alongside.plans.queries import goal_view, goals_queryset
from alongside.plans.views_common import can_contribute, is_staff, open_goal, open_plan


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def goal_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person writes their own goal; staff set a clinical or a service goal."""
    grant = open_plan(request, person_id, why="goals: new")
    require(can_contribute(grant))
    form = GoalForm(request.POST or None)
    if grant.is_self:
        del form.fields["origin"]
    if request.method == "POST" and form.is_valid():
        origin = (
            Origin.PERSON if grant.is_self else Origin(form.cleaned_data["origin"] or "clinical")
        )
        try:
            goal = services.add_goal(
                grant.actor,
                grant.person,
                text=form.cleaned_data["text"],
                origin=origin,
                chime_codes=form.cleaned_data["chime_tags"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("plans:goal", person_id=person_id, goal_id=goal.pk)
    return render(request, "plans/goal_form.html", {"form": form, "person": grant.person})


def _detail(
    request: HttpRequest, grant: access.PersonAccess, goal: Goal, **forms: Form
) -> HttpResponse:
    """Render a goal's page, with any bound forms that came back with errors."""
    full = goals_queryset(goal.person_id).get(pk=goal.pk)
    view = goal_view(full)
    own_goals = (
        list(Goal.objects.filter(person_id=goal.person_id, origin=Origin.PERSON).order_by("pk"))
        if goal.origin != Origin.PERSON
        else []
    )
    context: dict[str, Any] = {
        "person": grant.person,
        "grant": grant,
        "view": view,
        "goal": full,
        "can_contribute": can_contribute(grant),
        "may_record_stance": grant.is_self and goal.origin != Origin.PERSON,
        "may_set_status": (
            grant.is_self if goal.origin == Origin.PERSON else goal.author_id == grant.user.pk
        ),
        "may_edit": goal.author_id == grant.user.pk,
        "may_link": is_staff(grant) and goal.origin != Origin.PERSON,
        "own_goals": own_goals,
        "linked_ids": {g.pk for g in view.serves},
        "statuses": GoalStatus.choices,
        "stances": list(full.stances.all()),
        "check_ins": list(full.check_ins.all()[:10]),
        "revisions": list(
            TextRevision.objects.filter(object_type=Goal._meta.label, object_id=goal.pk)
            .select_related("author")
            .order_by("-at", "-pk")
        ),
        "step_form": forms.get("step_form") or StepForm(),
        "check_in_form": forms.get("check_in_form") or CheckInForm(),
        "stance_form": forms.get("stance_form") or StanceForm(),
    }
    return render(request, "plans/goal_detail.html", context)


@require_GET
@login_required
def goal_detail(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    goal, grant = open_goal(request, person_id, goal_id, why="goal")
    return _detail(request, grant, goal)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def goal_edit(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    """Only the author changes a goal's words; every version is kept."""
    goal, grant = open_goal(request, person_id, goal_id, why="goal: edit")
    require(goal.author_id == grant.user.pk)
    conflict: dict[str, object] | None = None
    if request.method == "POST":
        form = GoalForm(request.POST)
        del form.fields["origin"]
        if form.is_valid():
            try:
                services.edit_goal_text(
                    grant.actor,
                    goal,
                    expected_version=form.cleaned_data["version"] or 0,
                    text=form.cleaned_data["text"],
                )
            except services.ConcurrentEdit as clash:
                conflict = clash.current
                form = GoalForm({**request.POST.dict(), "version": clash.version})
                del form.fields["origin"]
                form.is_valid()
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                return redirect("plans:goal", person_id=person_id, goal_id=goal.pk)
    else:
        form = GoalForm(
            initial={
                "text": goal.text,
                "version": goal.version,
                "chime_tags": list(goal.chime_tags.values_list("code", flat=True)),
            }
        )
        del form.fields["origin"]
    del form.fields["chime_tags"]
    context = {"form": form, "person": grant.person, "goal": goal, "conflict": conflict}
    return render(request, "plans/goal_form.html", context)


def _submit(
    request: HttpRequest,
    person_id: int,
    goal_id: int,
    *,
    why: str,
    form_class: type[Form],
    form_key: str,
    may: Callable[[access.PersonAccess], bool],
    save: Callable[[access.PersonAccess, Goal, dict[str, Any]], object],
) -> HttpResponse:
    """A form posted from a goal's page: save it, or show the page again with the errors."""
    goal, grant = open_goal(request, person_id, goal_id, why=why)
    require(may(grant))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(grant, goal, form.cleaned_data)
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("plans:goal", person_id=person_id, goal_id=goal.pk)
    return _detail(request, grant, goal, **{form_key: form})


@require_POST
@login_required
@denied_as_404
def step_new(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    return _submit(
        request,
        person_id,
        goal_id,
        why="goal: new step",
        form_class=StepForm,
        form_key="step_form",
        may=can_contribute,
        save=lambda grant, goal, data: services.add_step(
            grant.actor, goal, text=data["text"], who_helps=data["who_helps"], due_on=data["due_on"]
        ),
    )


@require_POST
@login_required
@denied_as_404
def step_done(request: HttpRequest, person_id: int, goal_id: int, step_id: int) -> HttpResponse:
    goal, grant = open_goal(request, person_id, goal_id, why="goal: step done")
    require(can_contribute(grant))
    step = get_object_or_404(GoalStep, pk=step_id, goal=goal)
    services.complete_step(grant.actor, step, done=request.POST.get("done", "1") == "1")
    return redirect("plans:goal", person_id=person_id, goal_id=goal.pk)


@require_POST
@login_required
@denied_as_404
def check_in(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    return _submit(
        request,
        person_id,
        goal_id,
        why="goal: check-in",
        form_class=CheckInForm,
        form_key="check_in_form",
        may=can_contribute,
        save=lambda grant, goal, data: services.check_in(
            grant.actor, goal, score=data["score"], comment=data["comment"]
        ),
    )


@require_POST
@login_required
@denied_as_404
def stance(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    return _submit(
        request,
        person_id,
        goal_id,
        why="goal: my view",
        form_class=StanceForm,
        form_key="stance_form",
        may=lambda grant: grant.is_self,
        save=lambda grant, goal, data: services.record_stance(
            grant.actor, goal, stance=Stance(data["stance"]), words=data["words"]
        ),
    )


@require_POST
@login_required
@denied_as_404
def goal_status(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    goal, grant = open_goal(request, person_id, goal_id, why="goal: status")
    form = StatusForm(request.POST)
    require(form.is_valid())
    services.set_goal_status(grant.actor, goal, GoalStatus(form.cleaned_data["status"]))
    return redirect("plans:goal", person_id=person_id, goal_id=goal.pk)


@require_POST
@login_required
@denied_as_404
def goal_links(request: HttpRequest, person_id: int, goal_id: int) -> HttpResponse:
    goal, grant = open_goal(request, person_id, goal_id, why="goal: links")
    require(is_staff(grant))
    wanted = parse_ids(request.POST.getlist("serves"))
    targets = list(Goal.objects.filter(person_id=person_id, origin=Origin.PERSON, pk__in=wanted))
    try:
        services.link_goal(grant.actor, goal, targets)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    return redirect("plans:goal", person_id=person_id, goal_id=goal.pk)
