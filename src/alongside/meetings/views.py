"""Pages of network meetings about one person: the list, planning a meeting, and the meeting itself
(agenda, participants, the person's summary, decisions, actions).

Reading needs the person's ``meetings`` section. Writing needs more: the person themself or staff
(a unit role or a professional in the network); invited family and friends read only. Every
refusal is a 404, as everywhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.accounts.models import User
from alongside.core.pages import add_errors, require
from alongside.meetings import queries, services
from alongside.meetings.forms import ActionForm, AgendaForm, DecisionForm, PlanForm, RecordForm
from alongside.meetings.models import NetworkMeeting
from alongside.network.scopes import Section


def _may_write(grant: access.PersonAccess) -> bool:
    return grant.is_self or grant.acts_as_staff


@require_http_methods(["GET"])
@login_required
def meeting_list(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = access.open_person(request, person_id, Section.MEETINGS, why="network meetings")
    context = {
        "person": grant.person,
        "grant": grant,
        "meetings": queries.meetings_for(grant.person),
        "may_plan": _may_write(grant),
    }
    return render(request, "meetings/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan(request: HttpRequest, person_id: int) -> HttpResponse:
    """Plan a meeting: when, where, who, and an agenda that opens with the person's own goals."""
    grant = access.open_person(request, person_id, Section.MEETINGS, why="plan a meeting")
    require(_may_write(grant))
    goals = queries.suggested_goals(grant.person)
    candidates = queries.candidates_for(grant.person, planner=grant.user)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        goals=[(str(goal.pk), goal.text) for goal in goals],
        participants=[
            (
                str(c.user.pk),
                f"{c.user.shown_name} ({c.organisation})" if c.organisation else c.user.shown_name,
            )
            for c in candidates
        ],
    )
    if request.method == "POST" and form.is_valid():
        chosen_goals = set(form.cleaned_data["goals"])
        chosen_people = set(form.cleaned_data["participants"])
        invited: list[User] = [c.user for c in candidates if str(c.user.pk) in chosen_people]
        if not grant.is_self:
            invited.append(grant.user)  # whoever plans it takes part
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                grant.actor,
                grant.person,
                services.MeetingPlan(
                    planned_for=data["planned_for"],
                    place=data["place"],
                    participants=invited,
                    goals=[goal for goal in goals if str(goal.pk) in chosen_goals],
                    person_points=data["person_points"].splitlines(),
                    other_points=data["other_points"].splitlines(),
                ),
            )
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect("meetings:meeting", person_id=person_id, meeting_id=meeting.pk)
    context = {"person": grant.person, "grant": grant, "form": form}
    return render(request, "meetings/plan.html", context)


def _record_initial(meeting: NetworkMeeting) -> dict[str, object]:
    return {
        "version": meeting.version,
        "planned_for": meeting.planned_for,
        "place": meeting.place,
        "status": meeting.status,
        "person_summary": meeting.person_summary,
    }


@require_http_methods(["GET", "POST"])
@login_required
def meeting(request: HttpRequest, person_id: int, meeting_id: int) -> HttpResponse:
    """One meeting. The person and staff keep its record; an action's owner marks it done."""
    found, grant = access.open_record(
        request,
        NetworkMeeting.objects.filter(person_id=person_id),
        meeting_id,
        Section.MEETINGS,
        why="network meeting",
    )
    may_write = _may_write(grant)
    full = queries.meeting_in_full(found.pk)
    owners = queries.owner_choices(full)
    record_form = RecordForm(initial=_record_initial(full), prefix="record")
    agenda_form = AgendaForm(prefix="agenda")
    decision_form = DecisionForm(prefix="decision")
    action_form = ActionForm(prefix="action", owners=owners)
    stale: NetworkMeeting | None = None
    here = reverse("meetings:meeting", kwargs={"person_id": person_id, "meeting_id": found.pk})
    if request.method == "POST":
        which = request.POST.get("form", "")
        require(may_write or which == "done")
        try:
            if which == "record":
                record_form = RecordForm(request.POST, prefix="record")
                if record_form.is_valid():
                    data = record_form.cleaned_data
                    try:
                        services.update_record(
                            grant.actor,
                            full,
                            version=data["version"] if data["version"] is not None else -1,
                            planned_for=data["planned_for"],
                            place=data["place"],
                            status=data["status"],
                            person_summary=data["person_summary"],
                        )
                    except services.StaleMeeting as conflict:
                        stale = conflict.current
                        fresh = request.POST.copy()
                        fresh["record-version"] = str(stale.version)
                        record_form = RecordForm(fresh, prefix="record")
                        record_form.is_valid()
                        record_form.add_error(None, conflict)
                    else:
                        return redirect(f"{here}#record-heading")
            elif which == "agenda":
                agenda_form = AgendaForm(request.POST, prefix="agenda")
                if agenda_form.is_valid():
                    services.add_agenda_item(grant.actor, full, **agenda_form.cleaned_data)
                    return redirect(f"{here}#agenda-heading")
            elif which == "decision":
                decision_form = DecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    services.record_decision(grant.actor, full, **decision_form.cleaned_data)
                    return redirect(f"{here}#decisions-heading")
            elif which == "action":
                action_form = ActionForm(request.POST, prefix="action", owners=owners)
                if action_form.is_valid():
                    data = action_form.cleaned_data
                    owner = next(
                        (
                            p.user
                            for p in full.participants.all()
                            if str(p.user_id) == data["owner"]
                        ),
                        None,
                    )
                    services.add_action(
                        grant.actor, full, text=data["text"], owner=owner, due_on=data["due_on"]
                    )
                    return redirect(f"{here}#actions-heading")
            elif which == "done":
                action = next(
                    (a for a in full.actions.all() if str(a.pk) == request.POST.get("action")),
                    None,
                )
                require(action is not None)
                assert action is not None
                services.complete_action(grant.actor, action)
                return redirect(f"{here}#actions-heading")
            else:
                raise Http404()
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            target = {"agenda": agenda_form, "decision": decision_form, "action": action_form}
            add_errors(target.get(which, record_form), invalid)
    context = {
        "person": grant.person,
        "grant": grant,
        "meeting": full,
        "may_write": may_write,
        "record_form": record_form,
        "agenda_form": agenda_form,
        "decision_form": decision_form,
        "action_form": action_form,
        "stale": stale,
    }
    return render(request, "meetings/meeting.html", context)
