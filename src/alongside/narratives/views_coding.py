"""Coding a source, and comparing coders: the heart of the workbench.

Coders code independently (blind): until the lead closes the coding round each sees only their
own units, here, in the reports and on the agreement page; the lead may look at everyone's.
A unit is chosen by selecting text (the browser turns the selection into code-point offsets)
or, without a mouse, by typing its exact words.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside import access
from alongside.core.pages import add_errors, denied_as_404, require
from alongside.core.params import parse_id, parse_int
from alongside.narratives import reports, services, workbench
from alongside.narratives.forms import AutocodeForm, CoderPairForm, CodingForm, MemoForm
from alongside.narratives.models import AnalystRole, Code, Selection, Source

WORKING = (AnalystRole.LEAD, AnalystRole.CODER)


def _span(form: CodingForm, source: Source) -> tuple[int, int] | None:
    """The unit's offsets: as given, or found from its exact words (which must occur once)."""
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if start is not None and end is not None:
        return start, end
    quote = form.cleaned_data["quote"].replace("\r\n", "\n").replace("\r", "\n").strip()
    if not quote:
        form.add_error("start", _("Select the words of the unit in the text, or type them."))
        return None
    first = source.text.find(quote)
    if first < 0:
        form.add_error("quote", _("These words do not occur in the text."))
        return None
    if source.text.find(quote, first + 1) >= 0:
        form.add_error(
            "quote", _("These words occur more than once: select the unit in the text instead.")
        )
        return None
    return first, first + len(quote)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def source(request: HttpRequest, project_id: int, source_id: int) -> HttpResponse:
    """One source's text with the viewer's coded units highlighted, and the form to code a unit."""
    grant = access.open_project(request, project_id, why="code a source")
    found = services.usable_sources(grant.project).filter(pk=source_id).first()
    require(found is not None)
    assert found is not None
    if request.method == "POST":
        require(grant.codes)
    codes = workbench.project_codes(grant.project)
    form = (
        CodingForm(
            request.POST if request.method == "POST" else None,
            codes=codes,
            initial=_hit(request, found),
        )
        if grant.codes
        else None
    )
    if form is not None and form.is_bound and form.is_valid():
        span = _span(form, found)
        if span is not None:
            chosen = [code for code in codes if code.pk in set(form.cleaned_data["codes"])]
            try:
                services.code_span(
                    grant.actor, found, span[0], span[1], form.cleaned_data["condensed"], chosen
                )
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                return redirect("narratives:source", project_id=project_id, source_id=found.pk)
    may_see_all = services.sees_everyones_coding(grant.project, grant.role)
    everyone = may_see_all and request.GET.get("show") == "all"
    me = services.user_guid(grant.user.pk)
    units = workbench.units_in(found, coder=None if everyone else me)
    # Highlights by code colour (the default), or by coder; blind, "by coder" is only oneself.
    by_coder = request.GET.get("by") == "coder"
    context = {
        "by_coder": by_coder,
        "legend": workbench.coder_legend(units) if by_coder else workbench.code_legend(units),
        "grant": grant,
        "project": grant.project,
        "source": found,
        "segments": workbench.segments(found.text, units),
        "units": units,
        "everyone": everyone,
        "may_see_all": may_see_all,
        "form": form,
        "autocode_form": _autocode_form(found, codes) if grant.codes else None,
        "memo_form": MemoForm() if grant.codes else None,
        "memos": workbench.visible_memos(grant.project, grant.user.pk, grant.role, source=found),
        "submitter_shown": found.shown_submitter_id is not None,
    }
    return render(request, "narratives/workbench/source.html", context)


def _hit(request: HttpRequest, found: Source) -> dict[str, int]:
    """A passage a text search found (``?start=&end=``), to fill in the coding form."""
    start = parse_int(request.GET.get("start"), low=0, high=found.char_count)
    end = parse_int(request.GET.get("end"), low=1, high=found.char_count)
    if start is None or end is None or end <= start:
        return {}
    return {"start": start, "end": end}


def _autocode_form(
    found: Source, codes: list[Code], data: QueryDict | None = None
) -> AutocodeForm | None:
    speakers = services.speakers(found.text)
    if not speakers or not codes:
        return None
    return AutocodeForm(data, speakers=speakers, codes=codes, prefix="autocode")


@require_POST
@login_required
@denied_as_404
def autocode(request: HttpRequest, project_id: int, source_id: int) -> HttpResponse:
    """Code every turn of one speaker of this text with one code, as the member's own units."""
    grant = access.open_project(request, project_id, why="auto-code a speaker", roles=WORKING)
    found = services.usable_sources(grant.project).filter(pk=source_id).first()
    require(found is not None)
    assert found is not None
    codes = workbench.project_codes(grant.project)
    form = AutocodeForm(
        request.POST, speakers=services.speakers(found.text), codes=codes, prefix="autocode"
    )
    if form.is_valid():
        code = next(c for c in codes if c.pk == form.cleaned_data["code"])
        services.autocode_speaker(grant.actor, found, form.cleaned_data["speaker"], [code])
    return redirect("narratives:source", project_id=project_id, source_id=found.pk)


@require_POST
@login_required
@denied_as_404
def unit_remove(request: HttpRequest, project_id: int, selection_id: int) -> HttpResponse:
    """A coder removes one of their own units."""
    grant = access.open_project(request, project_id, why="remove unit", roles=WORKING)
    unit = Selection.objects.filter(source__project=grant.project, pk=selection_id).first()
    require(unit is not None)
    assert unit is not None
    source_id = unit.source_id
    services.remove_selection(grant.actor, unit)
    return redirect("narratives:source", project_id=project_id, source_id=source_id)


def _guid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@require_http_methods(["GET"])
@login_required
def agreement(request: HttpRequest, project_id: int) -> HttpResponse:
    """Two coders compared: percent agreement and kappa per source and code, and alpha."""
    grant = access.open_project(request, project_id, why="coder agreement")
    if not services.sees_everyones_coding(grant.project, grant.role):
        # Blind coding: nothing of anyone else's coding until the lead closes the round.
        context = {"grant": grant, "project": grant.project, "blind": True}
        return render(request, "narratives/workbench/agreement.html", context)
    coders = workbench.coders(grant.project)
    form = CoderPairForm(request.GET or None, coders=coders)
    rows: list[reports.AgreementRow] = []
    summary: dict[str, float | None] = {}
    pair: tuple[uuid.UUID, uuid.UUID] | None = None
    if form.is_bound and form.is_valid():
        a, b = _guid(form.cleaned_data["coder_a"]), _guid(form.cleaned_data["coder_b"])
        if a is None or b is None or a == b:
            form.add_error("coder_b", _("Choose two different coders."))
        else:
            pair = (a, b)
            rows = reports.agreement_table(grant.project, a, b)
            summary = {
                "kappa": reports.weighted_kappa(rows),
                "alpha": reports.unit_alpha(grant.project, [a, b]).value,
            }
    context = {
        "grant": grant,
        "project": grant.project,
        "form": form,
        "rows": rows,
        "summary": summary,
        "pair": pair,
        "enough_coders": len(coders) >= 2,
    }
    return render(request, "narratives/workbench/agreement.html", context)


@require_POST
@login_required
@denied_as_404
def consensus(request: HttpRequest, project_id: int) -> HttpResponse:
    """The lead merges two coders' units for one code in one source into consensus units."""
    grant = access.open_project(
        request, project_id, why="merge consensus", roles=(AnalystRole.LEAD,)
    )
    found = services.usable_sources(grant.project).filter(pk=_int(request, "source")).first()
    code = Code.objects.filter(codebook__project=grant.project, pk=_int(request, "code")).first()
    guids = [_guid(value) for value in request.POST.getlist("coder")]
    require(found is not None and code is not None and len(guids) >= 2 and None not in guids)
    assert found is not None
    assert code is not None
    chosen = [guid for guid in guids if guid is not None]
    # "both": only characters every chosen coder coded; "either": what any of them coded.
    keep_all = request.POST.get("keep", "both") == "both"
    services.merge_consensus(
        grant.actor, found, code, chosen, min_coders=len(chosen) if keep_all else 1
    )
    url = reverse("narratives:source", kwargs={"project_id": project_id, "source_id": found.pk})
    return redirect(f"{url}?show=all")


def _int(request: HttpRequest, name: str) -> int:
    raw = request.POST.get(name, "")
    number = parse_id(raw)
    if number is None:
        raise Http404()
    return number


KEEP_CHOICES = ("both", "either", "first", "second")


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def disagreement(request: HttpRequest, project_id: int) -> HttpResponse:
    """Two coders' work on one code in one text, side by side, resolved into consensus in one step.

    The lead chooses what the consensus keeps: what both coded, what either coded, or one
    coder's reading; ``services.merge_consensus`` does the rest.
    """
    grant = access.open_project(
        request, project_id, why="disagreement side by side", roles=(AnalystRole.LEAD,)
    )
    params = request.POST if request.method == "POST" else request.GET
    found = services.usable_sources(grant.project).filter(pk=_number(params, "source")).first()
    code = Code.objects.filter(codebook__project=grant.project, pk=_number(params, "code")).first()
    first, second = _guid(params.get("coder_a", "")), _guid(params.get("coder_b", ""))
    require(found is not None and code is not None and first is not None and second is not None)
    assert found is not None
    assert code is not None
    assert first is not None
    assert second is not None
    if request.method == "POST":
        keep = request.POST.get("keep", "")
        require(keep in KEEP_CHOICES)
        chosen = {"first": [first], "second": [second]}.get(keep, [first, second])
        services.merge_consensus(
            grant.actor, found, code, chosen, min_coders=2 if keep == "both" else 1
        )
        url = reverse("narratives:agreement", kwargs={"project_id": project_id})
        return redirect(f"{url}?coder_a={first}&coder_b={second}")
    names = dict(workbench.coders(grant.project))
    sides = []
    for guid in (first, second):
        units = [
            unit
            for unit in workbench.units_in(found, coder=guid)
            if not unit.is_consensus and any(c.pk == code.pk for c in unit.code_list)  # type: ignore[attr-defined]
        ]
        sides.append(
            {
                "name": names.get(str(guid), str(guid)),
                "segments": workbench.segments(found.text, units),
            }
        )
    context = {
        "grant": grant,
        "project": grant.project,
        "source": found,
        "code": code,
        "sides": sides,
        "coder_a": first,
        "coder_b": second,
    }
    return render(request, "narratives/workbench/disagreement.html", context)


def _number(params: QueryDict, name: str) -> int:
    raw = params.get(name, "") or ""
    number = parse_id(raw)
    if number is None:
        raise Http404()
    return number
