"""The handover summary page: staff draft it and add their words; the person reads it, comments
and approves it. One page, one URL; the ``action`` of a POST says which of these it is."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.core.pages import add_errors, denied_as_404, require
from alongside.discharge import handover
from alongside.discharge.forms import CommentForm, StaffTextForm
from alongside.discharge.handover import StaleSummary
from alongside.discharge.present import present
from alongside.discharge.queries import summary_for
from alongside.discharge.views import open_stay
from alongside.relationship.queries import writes_as_staff


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def summary_page(request: HttpRequest, person_id: int) -> HttpResponse:
    grant, stay = open_stay(request, person_id, "handover summary")
    summary = summary_for(stay)
    is_staff = writes_as_staff(grant)
    staff_form: StaffTextForm | None = None
    comment_form: CommentForm | None = None
    status = 200
    if summary is not None and is_staff:
        staff_form = StaffTextForm(
            initial={"staff_text": summary.staff_text, "version": summary.version}
        )
    if summary is not None and grant.is_self:
        comment_form = CommentForm(initial={"version": summary.version})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "draft":
            require(is_staff)
            handover.draft_summary(grant.actor, stay)
            messages.success(request, _("The summary is drafted. The person can now read it."))
            return redirect("discharge:handover", person_id=person_id)
        require(summary is not None)
        assert summary is not None
        if action == "staff_text":
            require(is_staff)
            staff_form = StaffTextForm(request.POST)
            if staff_form.is_valid():
                try:
                    handover.edit_staff_text(
                        grant.actor,
                        summary,
                        text=staff_form.cleaned_data["staff_text"],
                        version=staff_form.cleaned_data["version"],
                    )
                except StaleSummary as conflict:
                    status = _stale(request, staff_form, conflict)
                except ValidationError as invalid:
                    add_errors(staff_form, invalid)
                else:
                    messages.success(request, _("Saved. The person is asked to approve again."))
                    return redirect("discharge:handover", person_id=person_id)
        elif action in ("comment", "approve"):
            require(grant.is_self)
            comment_form = CommentForm(request.POST)
            if comment_form.is_valid():
                text = comment_form.cleaned_data["comment"]
                try:
                    if action == "approve":
                        handover.approve(
                            grant.actor,
                            summary,
                            version=comment_form.cleaned_data["version"],
                            comment_text=text,
                        )
                        messages.success(request, _("Thank you. You have approved the summary."))
                    else:
                        handover.comment(grant.actor, summary, text=text)
                        messages.success(request, _("Your comment is saved."))
                except StaleSummary as conflict:
                    status = _stale(request, comment_form, conflict)
                except ValidationError as invalid:
                    add_errors(comment_form, invalid)
                else:
                    return redirect("discharge:handover", person_id=person_id)
        else:
            require(False)
        summary = summary_for(stay)
    context = {
        "person": grant.person,
        "grant": grant,
        "stay": stay,
        "summary": summary,
        "view": present(summary) if summary is not None else None,
        "is_staff": is_staff,
        "staff_form": staff_form,
        "comment_form": comment_form,
    }
    return render(request, "discharge/handover.html", context, status=status)


def _stale(
    request: HttpRequest,
    form: StaffTextForm | CommentForm,
    conflict: StaleSummary,
) -> int:
    """Keep what was typed; point the form at the current version and say what happened."""
    data = request.POST.copy()
    data["version"] = str(conflict.current_version)
    form.data = data
    form.add_error(
        None,
        _(
            "The summary changed while you had it open. Nothing was saved. Read it again "
            "below; what you wrote is still in the box."
        ),
    )
    return 409
