"""The crisis plan: the person's own words for hard times, and a one-page view for emergencies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.core.pages import add_errors, require
from alongside.core.roles import primary_role
from alongside.network.scopes import Section
from alongside.people.models import Person
from alongside.safety import services
from alongside.safety.card import render_crisis_card
from alongside.safety.forms import BreakGlassForm, CrisisPlanForm
from alongside.safety.models import CrisisPlanVersion


def _versions(person_id: int) -> list[CrisisPlanVersion]:
    return list(
        CrisisPlanVersion.objects.filter(person_id=person_id)
        .select_related("author")
        .order_by("-number")
    )


def _may_write(grant: access.PersonAccess) -> bool:
    """The person, or staff who see the crisis plan through their role (not emergency access)."""
    return grant.is_self or (grant.acts_as_staff and grant.basis is not access.Basis.BREAK_GLASS)


def _open(request: HttpRequest, person_id: int, why: str) -> access.PersonAccess:
    return access.open_person(request, person_id, Section.CRISIS_PLAN, why=why)


@require_GET
@login_required
def crisis_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = _open(request, person_id, "crisis plan")
    versions = _versions(person_id)
    context = {
        "person": grant.person,
        "grant": grant,
        "current": versions[0] if versions else None,
        "earlier": versions[1:],
        "may_edit": grant.is_self
        or (grant.acts_as_staff and grant.basis is not access.Basis.BREAK_GLASS),
    }
    return render(request, "safety/crisis_plan.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def crisis_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    grant = _open(request, person_id, "crisis plan: new version")
    require(_may_write(grant))
    versions = _versions(person_id)
    initial: dict[str, object] = dict(versions[0].sections_dict()) if versions else {}
    initial["based_on"] = versions[0].number if versions else 0
    form = CrisisPlanForm(request.POST or None, initial=initial)
    conflict: CrisisPlanVersion | None = None
    if request.method == "POST" and form.is_valid():
        texts = {k: v for k, v in form.cleaned_data.items() if k != "based_on"}
        based_on = form.cleaned_data["based_on"]
        try:
            services.save_version(grant.actor, grant.person, texts, based_on=based_on)
        except services.CrisisPlanConflict as clash:
            # Theirs is shown above; the writer's own words stay in the boxes.
            conflict = clash.current
            form = CrisisPlanForm({**request.POST.dict(), "based_on": clash.current.number})
            form.is_valid()
        except ValidationError as invalid:
            add_errors(form, invalid)
        else:
            messages.success(request, _("This version of the crisis plan is saved."))
            return redirect("safety:crisis_plan", person_id=person_id)
    context = {"person": grant.person, "form": form, "conflict": conflict}
    return render(request, "safety/crisis_edit.html", context)


@require_POST
@login_required
def crisis_confirm(request: HttpRequest, person_id: int, number: int) -> HttpResponse:
    grant = _open(request, person_id, "crisis plan: confirm")
    require(grant.is_self)
    version = get_object_or_404(CrisisPlanVersion, person_id=person_id, number=number)
    services.confirm_version(grant.actor, version)
    messages.success(request, _("You have confirmed this version of your crisis plan."))
    return redirect("safety:crisis_plan", person_id=person_id)


@require_GET
@login_required
def emergency(request: HttpRequest, person_id: int) -> HttpResponse:
    """One page for a crisis: the newest version the person confirmed, first things first."""
    grant = _open(request, person_id, "crisis plan: emergency view")
    versions = _versions(person_id)
    confirmed = next((v for v in versions if v.confirmed_at), None)
    context = {
        "person": grant.person,
        "grant": grant,
        "version": confirmed or (versions[0] if versions else None),
        "newer_draft": bool(versions and versions[0].confirmed_at is None and confirmed),
        "unconfirmed_only": bool(versions and confirmed is None),
    }
    return render(request, "safety/emergency.html", context)


@require_GET
@login_required
def find(request: HttpRequest) -> HttpResponse:
    """For hospital clinicians: find a person staying in the hospital to open their crisis plan."""
    query = request.GET.get("q", "")[:100]
    found = access.emergency_search(request.user, query)
    if found is None:
        raise Http404()
    persons = list(found.prefetch_related("stays__unit")[:20])
    if query.strip():
        user = request.user
        assert isinstance(user, User)
        actor = Actor(user=user, role=primary_role(user))
        services.record_emergency_search(actor, query, persons, request=request)
    return render(request, "safety/find.html", {"query": query, "persons": persons})


@require_GET
@login_required
def crisis_card(request: HttpRequest, person_id: int) -> HttpResponse:
    """The pocket card: the newest version the person has confirmed."""
    grant = _open(request, person_id, "crisis plan: pocket card")
    confirmed = (
        CrisisPlanVersion.objects.filter(person_id=person_id, confirmed_at__isnull=False)
        .order_by("-number")
        .first()
    )
    scan_url = request.build_absolute_uri(reverse("safety:break_glass", args=[person_id]))
    data = render_crisis_card(grant.person, confirmed, get_language() or "en", scan_url=scan_url)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="crisis-card.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def break_glass(request: HttpRequest, person_id: int) -> HttpResponse:
    """Emergency access for a hospital clinician outside the network. Others get 404."""
    existing = access.resolve_access(request.user, person_id)
    if existing is not None and existing.allows(Section.CRISIS_PLAN):
        return redirect("safety:emergency", person_id=person_id)
    if access.break_glass_role(request.user, person_id) is None:
        raise Http404()
    person = get_object_or_404(Person, pk=person_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            services.break_glass(request.user, person, form.cleaned_data["reason"])
        except ValidationError as invalid:
            add_errors(form, invalid)
        except PermissionDenied as denied:
            raise Http404() from denied
        else:
            return redirect("safety:emergency", person_id=person_id)
    return render(request, "safety/break_glass.html", {"person": person, "form": form})
