"""Pages of network meetings about one person: the list, planning a meeting, and the meeting itself
(agenda, participants, the person's summary, decisions, actions).

Reading needs the person's ``meetings`` section. Writing needs more: the person themself or staff
(a unit role or a professional in the network); invited family and friends read only. Every
refusal is a 404, as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor
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


@dataclass
class MeetingPage:
    """The forms on one meeting's page, bound or fresh, and a stale record if a save lost."""

    meeting: NetworkMeeting
    owners: list[tuple[str, str]]
    record_form: RecordForm
    agenda_form: AgendaForm
    decision_form: DecisionForm
    action_form: ActionForm
    stale: NetworkMeeting | None = None

    @classmethod
    def fresh(cls, meeting: NetworkMeeting) -> MeetingPage:
        owners = queries.owner_choices(meeting)
        return cls(
            meeting,
            owners,
            RecordForm(initial=_record_initial(meeting), prefix="record"),
            AgendaForm(prefix="agenda"),
            DecisionForm(prefix="decision"),
            ActionForm(prefix="action", owners=owners),
        )

    def form_for(self, which: str) -> forms.Form:
        return {
            "agenda": self.agenda_form,
            "decision": self.decision_form,
            "action": self.action_form,
        }.get(which, self.record_form)


# Each handler saves one of the page's forms: it answers the heading to return to when saved, or
# None when the (now bound) form has errors to show.


def _save_record(page: MeetingPage, data: QueryDict, actor: Actor) -> str | None:
    page.record_form = RecordForm(data, prefix="record")
    if not page.record_form.is_valid():
        return None
    cleaned = page.record_form.cleaned_data
    try:
        services.update_record(
            actor,
            page.meeting,
            version=cleaned["version"] if cleaned["version"] is not None else -1,
            planned_for=cleaned["planned_for"],
            place=cleaned["place"],
            status=cleaned["status"],
            person_summary=cleaned["person_summary"],
        )
    except services.StaleMeeting as conflict:
        # Show both texts: theirs (saved meanwhile) and what this person typed, re-based on
        # theirs so that saving again is a deliberate choice.
        page.stale = conflict.current
        fresh = data.copy()
        fresh["record-version"] = str(conflict.current.version)
        page.record_form = RecordForm(fresh, prefix="record")
        page.record_form.is_valid()
        page.record_form.add_error(None, conflict)
        return None
    return "record-heading"


def _save_agenda(page: MeetingPage, data: QueryDict, actor: Actor) -> str | None:
    page.agenda_form = AgendaForm(data, prefix="agenda")
    if not page.agenda_form.is_valid():
        return None
    services.add_agenda_item(actor, page.meeting, **page.agenda_form.cleaned_data)
    return "agenda-heading"


def _save_decision(page: MeetingPage, data: QueryDict, actor: Actor) -> str | None:
    page.decision_form = DecisionForm(data, prefix="decision")
    if not page.decision_form.is_valid():
        return None
    services.record_decision(actor, page.meeting, **page.decision_form.cleaned_data)
    return "decisions-heading"


def _save_action(page: MeetingPage, data: QueryDict, actor: Actor) -> str | None:
    page.action_form = ActionForm(data, prefix="action", owners=page.owners)
    if not page.action_form.is_valid():
        return None
    cleaned = page.action_form.cleaned_data
    owner = next(
        (p.user for p in page.meeting.participants.all() if str(p.user_id) == cleaned["owner"]),
        None,
    )
    services.add_action(
        actor, page.meeting, text=cleaned["text"], owner=owner, due_on=cleaned["due_on"]
    )
    return "actions-heading"


def _mark_done(page: MeetingPage, data: QueryDict, actor: Actor) -> str | None:
    action = next((a for a in page.meeting.actions.all() if str(a.pk) == data.get("action")), None)
    require(action is not None)
    assert action is not None
    services.complete_action(actor, action)
    return "actions-heading"


HANDLERS: dict[str, Callable[[MeetingPage, QueryDict, Actor], str | None]] = {
    "record": _save_record,
    "agenda": _save_agenda,
    "decision": _save_decision,
    "action": _save_action,
    "done": _mark_done,
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
    page = MeetingPage.fresh(queries.meeting_in_full(found.pk))
    if request.method == "POST":
        which = request.POST.get("form", "")
        handler = HANDLERS.get(which)
        require(handler is not None and (may_write or which == "done"))
        assert handler is not None
        try:
            heading = handler(page, request.POST, grant.actor)
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(page.form_for(which), invalid)
        else:
            if heading is not None:
                here = reverse(
                    "meetings:meeting", kwargs={"person_id": person_id, "meeting_id": found.pk}
                )
                return redirect(f"{here}#{heading}")
    if grant.is_self:
        page.record_form.speak_to_person()
    context = {
        "person": grant.person,
        "grant": grant,
        "meeting": page.meeting,
        "may_write": may_write,
        "record_form": page.record_form,
        "agenda_form": page.agenda_form,
        "decision_form": page.decision_form,
        "action_form": page.action_form,
        "stale": page.stale,
    }
    return render(request, "meetings/meeting.html", context)
