"""The plan page, the side-by-side view of goals, the card sort, story and strengths."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.core.pages import add_errors, denied_as_404, require
from alongside.plans import services
from alongside.plans.forms import StoryForm, StrengthForm
from alongside.plans.models import Pile, StoryEntry, TextRevision
from alongside.plans.queries import deck_for, latest_card_sort, plan_for
from alongside.plans.views_common import can_contribute, is_staff, open_plan


@require_GET
@login_required
def plan(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = open_plan(request, person_id, why="plan")
    context = {
        "plan": plan_for(grant),
        "person": grant.person,
        "grant": grant,
        "can_contribute": can_contribute(grant),
        "is_staff": is_staff(grant),
        "strength_form": StrengthForm(),
    }
    return render(request, "plans/plan.html", context)


@require_GET
@login_required
def side_by_side(request: HttpRequest, person_id: int) -> HttpResponse:
    """Whose goal is it: the person's, the clinical team's and the service's, side by side."""
    grant = open_plan(request, person_id, why="goals side by side")
    current = plan_for(grant)
    columns = [
        ("person", current.goals_of("person")),
        ("clinical", current.goals_of("clinical")),
        ("service", current.goals_of("service")),
    ]
    context = {"plan": current, "person": grant.person, "grant": grant, "columns": columns}
    return render(request, "plans/side_by_side.html", context)


OWN_CARD_SLOTS = 3


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def cards(request: HttpRequest, person_id: int) -> HttpResponse:
    """The card sort: each card goes on a pile; the person may add cards of their own."""
    grant = open_plan(request, person_id, why="card sort")
    require(grant.is_self)
    deck = deck_for(grant)
    error = ""
    # A new sort starts from the last one: every card sits where she put it, her own cards
    # included, so saving one or two moves keeps everything she did not move.
    _last, last_piles = latest_card_sort(grant.person.pk)
    last = [placement for pile in last_piles.values() for placement in pile]
    placed = {p.card_id: p.pile for p in last if p.card_id}
    own_cards = [(p.own_label, p.pile) for p in last if not p.card_id]
    own_rows = [*own_cards, *[("", "")] * OWN_CARD_SLOTS]
    if request.method == "POST":
        placements = []
        for card in deck:
            pile = request.POST.get(f"card-{card.pk}", "")
            if pile in Pile.values:
                placements.append(services.Placement(pile=Pile(pile), card_id=card.pk))
        for index in range(len(own_rows)):
            label = request.POST.get(f"own-{index}", "").strip()
            pile = request.POST.get(f"own-{index}-pile", "")
            if label and pile in Pile.values:
                placements.append(services.Placement(pile=Pile(pile), own_label=label[:100]))
        try:
            services.sort_cards(grant.actor, grant.person, placements)
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            return redirect("plans:plan", person_id=person_id)
        placed = {card.pk: request.POST.get(f"card-{card.pk}", "") for card in deck}
        own_rows = [
            (request.POST.get(f"own-{i}", ""), request.POST.get(f"own-{i}-pile", ""))
            for i in range(len(own_rows))
        ]
    context = {
        "person": grant.person,
        # Each card with the pile it is on: from the last sort, or as a refused form was sent.
        "rows": [(card, placed.get(card.pk, "")) for card in deck],
        "piles": Pile.choices,
        "own_rows": own_rows,
        "has_last": _last is not None,
        "error": error,
    }
    return render(request, "plans/cards.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def story_new(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = open_plan(request, person_id, why="story: new entry")
    require(grant.is_self)
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_story_entry(
                grant.actor,
                grant.person,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                when=form.cleaned_data["when"],
                sort_year=form.cleaned_data["sort_year"],
                shared=form.cleaned_data["shared"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("plans:plan", person_id=person_id)
    return render(
        request, "plans/story_form.html", {"form": form, "person": grant.person, "entry": None}
    )


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def story_edit(request: HttpRequest, person_id: int, entry_id: int) -> HttpResponse:
    grant = open_plan(request, person_id, why="story: edit entry")
    entry = get_object_or_404(StoryEntry, pk=entry_id, person_id=person_id)
    require(entry.author_id == request.user.pk)
    conflict: dict[str, object] | None = None
    if request.method == "POST":
        form = StoryForm(request.POST)
        if form.is_valid():
            try:
                services.edit_story_entry(
                    grant.actor,
                    entry,
                    expected_version=form.cleaned_data["version"] or 0,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    shared=form.cleaned_data["shared"],
                )
            except services.ConcurrentEdit as clash:
                conflict = clash.current
                form = StoryForm({**request.POST.dict(), "version": clash.version})
                form.is_valid()
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                return redirect("plans:plan", person_id=person_id)
    else:
        form = StoryForm(
            initial={
                "kind": entry.kind,
                "title": entry.title,
                "when": entry.when,
                "sort_year": entry.sort_year,
                "text": entry.text,
                "shared": entry.shared,
                "version": entry.version,
            }
        )
    revisions = TextRevision.objects.filter(
        object_type=StoryEntry._meta.label, object_id=entry.pk
    ).select_related("author")
    context = {
        "form": form,
        "person": grant.person,
        "entry": entry,
        "conflict": conflict,
        "revisions": list(revisions),
    }
    return render(request, "plans/story_form.html", context)


@require_POST
@login_required
@denied_as_404
def strength_new(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = open_plan(request, person_id, why="strengths: new")
    require(grant.is_self)
    form = StrengthForm(request.POST)
    if form.is_valid():
        try:
            services.add_strength(
                grant.actor,
                grant.person,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            return redirect("plans:plan", person_id=person_id)
    context = {
        "plan": plan_for(grant),
        "person": grant.person,
        "grant": grant,
        "can_contribute": can_contribute(grant),
        "is_staff": is_staff(grant),
        "strength_form": form,
    }
    return render(request, "plans/plan.html", context)
