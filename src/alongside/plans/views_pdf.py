"""The plan as a PDF to take home, in the language the pages are shown in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from alongside import access
from alongside.network.scopes import Section
from alongside.plans.pdf import render_plan_pdf
from alongside.plans.queries import plan_for


@require_GET
@login_required
def plan_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = access.open_person(request, person_id, Section.PLAN, why="plan pdf")
    data = render_plan_pdf(plan_for(grant), get_language() or "en")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="my-plan.pdf"'
    # Health information: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response
