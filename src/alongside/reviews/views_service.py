"""Review pages that are not about one person: the organisation's rule, and reviews due.

The rule page is for team leaders and service managers, for the organisations they lead in. The
due list is for anyone with a current staff role; it lists only persons whose plan they may see
(``access.visible_persons``), so a staff member without such persons sees an empty list.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.pages import add_errors
from alongside.core.roles import current_staff_role
from alongside.reviews import queries, services
from alongside.reviews.forms import RuleForm


def _staff_role(request: HttpRequest) -> str:
    assert isinstance(request.user, User)
    role = current_staff_role(request.user)
    if role is None:
        raise Http404()
    return role


@require_http_methods(["GET", "POST"])
@login_required
def rule(request: HttpRequest) -> HttpResponse:
    """How often each organisation the user leads in reviews plans."""
    assert isinstance(request.user, User)
    role = _staff_role(request)
    actor = Actor(user=request.user, role=role)
    organisations = services.led_organisations(actor)
    if not organisations:
        raise Http404()
    chosen_id = request.POST.get("organisation") if request.method == "POST" else None
    forms = []
    for organisation in organisations:
        current = services.rule_for(organisation.pk)
        bound = chosen_id == str(organisation.pk)
        form = RuleForm(
            request.POST if bound else None,
            prefix=f"o{organisation.pk}",
            initial={
                "interval_days": current.interval_days,
                "must_include_municipality": current.must_include_municipality,
            },
        )
        if bound and form.is_valid():
            try:
                services.set_rule(
                    actor,
                    organisation,
                    interval_days=form.cleaned_data["interval_days"],
                    must_include_municipality=form.cleaned_data["must_include_municipality"],
                )
            except PermissionDenied as denied:
                raise Http404() from denied
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("Saved. %(organisation)s reviews each plan at least every %(days)s days.")
                    % {
                        "organisation": organisation.name,
                        "days": form.cleaned_data["interval_days"],
                    },
                )
                return redirect("reviews_service:rule")
        forms.append((organisation, form))
    return render(request, "reviews/rule.html", {"forms": forms})


@require_GET
@login_required
def due(request: HttpRequest) -> HttpResponse:
    """Reviews due within 14 days, and overdue ones, for the persons whose plan the user sees."""
    assert isinstance(request.user, User)
    role = _staff_role(request)
    rows = queries.due_reviews(request.user, today=timezone.localdate())
    access.audit_list(request, role, [row.stay.person for row in rows], why="reviews due")
    context = {"rows": rows, "within": queries.DUE_WITHIN_DAYS}
    return render(request, "reviews/due.html", context)
