"""The plan as a PDF download, in the language the page is shown in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from alongside.plans.pdf import render_plan_pdf
from alongside.plans.queries import plan_for
from alongside.plans.views_common import open_plan


@require_GET
@login_required
def plan_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = open_plan(request, person_id, why="plan pdf")
    data = render_plan_pdf(plan_for(grant), get_language() or "en")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="my-plan.pdf"'
    return response
