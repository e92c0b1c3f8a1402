"""The person's card of codes, under /persons/<person_id>/network/card/.

The person prints her own card; staff of her unit print one only with her in the room. The
page shows whether a card works and how many codes are left, never the codes: they appear
once, on the printed PDF. Everyone else gets 404, like the network page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from alongside.core.pages import add_errors
from alongside.network import cards
from alongside.network.card_pdf import render_card
from alongside.network.forms import CardForm
from alongside.network.views import open_network


@require_http_methods(["GET", "POST"])
@login_required
def card(request: HttpRequest, person_id: int) -> HttpResponse:
    """The card page; a valid POST prints a new card (as PDF) and stops the old one."""
    grant = open_network(request, person_id, why="card of codes")
    form = CardForm(
        request.POST if request.method == "POST" else None,
        person_name=grant.person.shown_name,
        staff=not grant.is_self,
    )
    if form.is_bound and form.is_valid():
        try:
            issued, codes = cards.issue_card(
                grant.actor, grant.person, in_person=bool(form.cleaned_data.get("with_person"))
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            data = render_card(issued, codes, get_language() or "en")
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="card-of-codes.pdf"'
            response["Cache-Control"] = "private, no-store"
            return response
    current = cards.current_card(grant.person)
    context = {
        "person": grant.person,
        "grant": grant,
        "form": form,
        "current": current,
        "left": cards.codes_left(current) if current is not None else 0,
    }
    return render(request, "network/card.html", context, status=200)
