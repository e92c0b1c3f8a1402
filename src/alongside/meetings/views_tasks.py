"""The task list: actions agreed in network meetings that the logged-in user owns, across every
person whose meetings they may still see. Overdue actions are flagged in words and with an icon,
not by colour alone. The owner marks an action done here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside import access
from alongside.accounts.models import User
from alongside.core.params import parse_id
from alongside.core.roles import primary_role
from alongside.meetings import queries, services
from alongside.meetings.models import Action
from alongside.network.scopes import Section


@require_http_methods(["GET", "POST"])
@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        action_id = parse_id(request.POST.get("action"))
        if action_id is None:
            raise Http404()
        action, grant = access.open_record(
            request,
            Action.objects.filter(owner=user, done_at__isnull=True),
            action_id,
            Section.MEETINGS,
            why="task list: mark done",
        )
        try:
            services.complete_action(grant.actor, action)
        except PermissionDenied as denied:
            raise Http404() from denied
        messages.success(request, _("Marked as done: %(text)s") % {"text": action.text})
        return redirect("meetings_service:tasks")
    open_tasks = queries.open_tasks(user)
    done = queries.done_recently(user)
    shown = [t.action for t in open_tasks] + done
    persons = list({a.person_id: a.person for a in shown}.values())
    access.audit_list(request, primary_role(user), persons, why="task list")
    context = {
        "tasks": open_tasks,
        "overdue_count": sum(1 for t in open_tasks if t.overdue),
        "done": done,
    }
    return render(request, "meetings/tasks.html", context)
