"""Assisted coding pages: suggested codes for uncoded units, Accept, and how often they are right.

Members of a project see the suggestions; leads and coders accept one with a click, which codes
the unit as them (``suggest.accept``). Nothing is coded any other way. Anyone else gets 404.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alongside import access
from alongside.core.pages import denied_as_404, require
from alongside.core.params import parse_id
from alongside.narratives import services, suggest
from alongside.narratives.embedding import ModelMissing
from alongside.narratives.models import AnalystRole, Code, Selection

PAGE_SIZE = 20
WORKING = (AnalystRole.LEAD, AnalystRole.CODER)


class AcceptForm(forms.Form):
    source = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    code = forms.IntegerField(min_value=1)
    selection = forms.IntegerField(min_value=1, required=False)
    page = forms.IntegerField(min_value=1, required=False)
    only_source = forms.IntegerField(min_value=1, required=False)


def _number(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    number = parse_id(raw)
    if number is None:
        raise Http404()
    return number


def _page(
    request: HttpRequest,
    grant: access.ProjectAccess,
    *,
    page: int,
    source_id: int | None,
    errors: list[str] | None = None,
) -> HttpResponse:
    sources = list(services.usable_sources(grant.project).order_by("pk").values_list("pk", "name"))
    require(source_id is None or any(pk == source_id for pk, _name in sources))
    context: dict[str, object] = {
        "grant": grant,
        "project": grant.project,
        "sources": sources,
        "source_id": source_id,
        "errors": errors or [],
        "model_missing": False,
    }
    blind = not services.sees_everyones_coding(grant.project, grant.role)
    coder = grant.user if blind else None
    units = suggest.uncoded_units(grant.project, grant.user, source_id=source_id, only_own=blind)
    pages = max(1, -(-len(units) // PAGE_SIZE))
    page = min(page, pages)
    shown = units[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    threshold = suggest.THRESHOLD
    try:
        threshold = suggest.calibrate(grant.project, coder=coder).threshold
        suggestions = suggest.suggest(grant.project, shown, threshold=threshold)
    except ModelMissing:
        context["model_missing"] = True
        suggestions = [[] for _unit in shown]
    names = dict(sources)
    context.update(
        {
            "total": len(units),
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "rows": [
                {"unit": unit, "source_name": names[unit.source_id], "suggestions": found}
                for unit, found in zip(shown, suggestions, strict=True)
            ],
            "threshold": threshold,
            "suggests_nothing": threshold >= suggest.NOTHING,
        }
    )
    return render(request, "narratives/suggest/list.html", context)


@require_GET
@login_required
def suggestions(request: HttpRequest, project_id: int) -> HttpResponse:
    """Uncoded units, a page at a time, each with the codes that seem to fit it."""
    grant = access.open_project(request, project_id, why="suggested codes")
    return _page(
        request, grant, page=_number(request, "page") or 1, source_id=_number(request, "source")
    )


@require_POST
@login_required
@denied_as_404
def accept(request: HttpRequest, project_id: int) -> HttpResponse:
    """A lead or coder accepts one suggestion: the unit is coded with that code, by them."""
    grant = access.open_project(request, project_id, why="accept suggested code", roles=WORKING)
    form = AcceptForm(request.POST)
    require(form.is_valid())
    data = form.cleaned_data
    source = services.usable_sources(grant.project).filter(pk=data["source"]).first()
    code = Code.objects.filter(codebook__project=grant.project, pk=data["code"]).first()
    require(source is not None and code is not None)
    assert source is not None
    assert code is not None
    selection: Selection | None = None
    if data["selection"] is not None:
        selection = Selection.objects.filter(
            source=source, pk=data["selection"], coder=grant.user
        ).first()
        require(selection is not None)
    page, only_source = data["page"] or 1, data["only_source"]
    try:
        suggest.accept(
            grant.actor,
            source,
            code,
            start=data["start"],
            end=data["end"],
            selection=selection,
        )
    except ValidationError as invalid:
        return _page(request, grant, page=page, source_id=only_source, errors=invalid.messages)
    url = reverse("narratives:suggestions", args=[project_id]) + f"?page={page}"
    if only_source is not None:
        url += f"&source={only_source}"
    return redirect(url)


@require_GET
@login_required
def precision(request: HttpRequest, project_id: int) -> HttpResponse:
    """How often suggestions agree with the codes people gave, on a sample of coded units."""
    grant = access.open_project(request, project_id, why="suggestion precision")
    context: dict[str, object] = {
        "grant": grant,
        "project": grant.project,
        "result": None,
        "model_missing": False,
        "limit": suggest.MAX_EVALUATED,
    }
    blind = not services.sees_everyones_coding(grant.project, grant.role)
    coder = grant.user if blind else None
    try:
        context["result"] = suggest.precision(grant.project, coder=coder)
        context["calibration"] = suggest.calibrate(grant.project, coder=coder)
    except ModelMissing:
        context["model_missing"] = True
    return render(request, "narratives/suggest/precision.html", context)
