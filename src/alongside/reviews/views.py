"""Review pages about one person: the list, recording a review, one review.

Reading needs the person's ``plan`` section: the person, their care staff and the caseworker the
person shares the plan with (the review is held jointly with the municipality). Recording needs
a staff grant and a current staff role; the person adds their own view to a recorded review. Any
refusal is a 404, as everywhere.
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
from alongside.core.pages import add_errors, require
from alongside.network.scopes import Section
from alongside.organisations.models import StaffRole
from alongside.people.models import Stay, StayStatus
from alongside.reviews import queries, services
from alongside.reviews.forms import PartyFormSet, PersonViewForm, ReviewForm
from alongside.reviews.models import Review


def records_reviews(grant: access.PersonAccess) -> bool:
    """Staff of the unit, or a professional in the network, with a current staff role."""
    if grant.is_self or not grant.acts_as_staff:
        return False
    return StaffRole.objects.current().filter(user=grant.user).exists()


@require_GET
@login_required
def reviews(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every review of the person's plan, newest first, and when the next one is due."""
    grant = access.open_person(request, person_id, Section.PLAN, why="reviews")
    today = timezone.localdate()
    stays = list(
        Stay.objects.filter(person=grant.person, status=StayStatus.ACTIVE).select_related("unit")
    )
    due = [(stay.next_review_on - today).days if stay.next_review_on else None for stay in stays]
    context = {
        "person": grant.person,
        "grant": grant,
        "reviews": queries.reviews_for(person_id),
        "stays": [
            (stay, days, -days if days else 0) for stay, days in zip(stays, due, strict=True)
        ],
        "may_record": records_reviews(grant),
    }
    return render(request, "reviews/reviews.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def record(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record a review held together: the person's view first, then each party's, then what was
    agreed. Moves the stay's next review date on by the organisation's rule."""
    grant = access.open_person(request, person_id, Section.PLAN, why="record a review")
    require(records_reviews(grant))
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, person=grant.person, initial={"held_on": timezone.localdate()})
    parties = PartyFormSet(data, prefix="party")
    if data is not None and form.is_valid() and parties.is_valid():
        views = [
            services.PartyView(
                party_name=party.cleaned_data.get("party_name", ""),
                organisation=party.cleaned_data.get("organisation", ""),
                role=party.cleaned_data.get("role", ""),
                view=party.cleaned_data.get("view", ""),
            )
            for party in parties
        ]
        try:
            review = services.record_review(
                grant.actor,
                grant.person,
                form.cleaned_data["stay"],
                held_on=form.cleaned_data["held_on"],
                person_went_well=form.cleaned_data["person_went_well"],
                person_matters_now=form.cleaned_data["person_matters_now"],
                agreed_changes=form.cleaned_data["agreed_changes"],
                goals=form.cleaned_data["goals"],
                views=views,
                municipality_took_part=form.cleaned_data["municipality_took_part"],
            )
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("The review is saved."))
            return redirect("reviews:review", person_id=person_id, review_id=review.pk)
    context = {"person": grant.person, "grant": grant, "form": form, "parties": parties}
    return render(request, "reviews/record.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, person_id: int, review_id: int) -> HttpResponse:
    """One review. The person may add their own view beside it."""
    found, grant = access.open_record(
        request, Review.objects.filter(person_id=person_id), review_id, Section.PLAN, why="review"
    )
    if request.method == "POST":
        require(grant.is_self)
    form = (
        PersonViewForm(request.POST if request.method == "POST" else None)
        if grant.is_self
        else None
    )
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.add_person_view(grant.actor, found, view=form.cleaned_data["view"])
        except PermissionDenied as denied:
            raise Http404() from denied
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("Your view is saved."))
            return redirect("reviews:review", person_id=person_id, review_id=review_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "review": queries.reviews_for(person_id).get(pk=found.pk),
        "form": form,
    }
    return render(request, "reviews/review.html", context)
