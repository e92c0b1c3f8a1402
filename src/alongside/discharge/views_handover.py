"""The handover summary page: staff draft it and add their words; the person reads it, comments
and approves it (or, for a person without a login, staff record their approval given in person).
One page, one URL; the ``action`` of a POST says which (see ``handover_page``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from alongside.core.pages import denied_as_404
from alongside.discharge.handover_page import HandoverPage
from alongside.discharge.views import open_stay


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def summary_page(request: HttpRequest, person_id: int) -> HttpResponse:
    grant, stay = open_stay(request, person_id, "handover summary")
    page = HandoverPage.open(grant, stay)
    if request.method == "POST" and page.handle(request):
        return redirect("discharge:handover", person_id=person_id)
    return render(request, "discharge/handover.html", page.context(), status=page.status)
