"""Report pages of a narratives project: theme table, code co-occurrence, barrier map.

Every member of the project (lead, coder, viewer) reads them; anyone else gets 404 from
``access.open_project``. Each page shows an HTML table, a server-rendered SVG chart of the same
numbers and a CSV download. The numbers come from ``reports.py``, which reads only
``usable_sources``: a withdrawn narrative counts nowhere.

Filters (GET): one codebook (theme table and co-occurrence) and "consensus units only", so that
several coders' work on the same text is not counted twice unless the team wants it to be.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from alongside import access
from alongside.frameworks.models import Concept, Framework
from alongside.narratives import charts, reports
from alongside.narratives.models import Codebook, CodeLevel, NarrativeProject
from alongside.narratives.services import usable_sources

SOLUTION_KINDS = ("solution_area", "solution")


class ReportFilterForm(forms.Form):
    codebook = forms.TypedChoiceField(
        label=gettext_lazy("Codebook"), coerce=int, required=False, empty_value=None
    )
    consensus = forms.BooleanField(label=gettext_lazy("Count only consensus units"), required=False)

    def __init__(self, project: NarrativeProject, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.codebooks = list(Codebook.objects.filter(project=project).order_by("pk"))
        field = self.fields["codebook"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All codebooks")), *((c.pk, c.name) for c in self.codebooks)]


@dataclass(frozen=True)
class Filters:
    form: ReportFilterForm
    codebook: Codebook | None
    consensus: bool

    @property
    def query(self) -> str:
        """The filters as a query string, for the CSV link of the same view."""
        parts = []
        if self.codebook is not None:
            parts.append(f"codebook={self.codebook.pk}")
        if self.consensus:
            parts.append("consensus=on")
        return "?" + "&".join(parts) if parts else ""


def _filters(request: HttpRequest, project: NarrativeProject) -> Filters:
    """Read the filters; unknown or foreign codebooks are ignored (all codebooks)."""
    form = ReportFilterForm(project, request.GET or None)
    if not form.is_bound or not form.is_valid():
        return Filters(ReportFilterForm(project), None, False)
    chosen = form.cleaned_data["codebook"]
    codebook = next((c for c in form.codebooks if c.pk == chosen), None)
    return Filters(form, codebook, bool(form.cleaned_data["consensus"]))


def _csv(request: HttpRequest, project: NarrativeProject, what: str, content: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stem = slugify(project.name)[:60] or "project"
    response["Content-Disposition"] = f'attachment; filename="{stem}-{what}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _open(request: HttpRequest, project_id: int, why: str) -> access.ProjectAccess:
    return access.open_project(request, project_id, why=why)


# Theme table ---------------------------------------------------------------------------------


def _level_label(level: str) -> str:
    return str(CodeLevel(level).label) if level in CodeLevel.values else level


def excerpts(
    project: NarrativeProject,
    rows: list[reports.ThemeRow],
    units: list[reports.Unit],
    *,
    per_code: int = 2,
    length: int = 240,
) -> dict[int, list[str]]:
    """A few quoted excerpts per row of the theme table: the text of its first coded units.

    A row counts the units of its code and of every code below it (the rows that follow it at a
    greater depth), as ``units_total`` does. The source texts come from ``usable_sources``.
    """
    by_code: dict[int, list[reports.Unit]] = {}
    for unit in units:
        for code_id in unit.code_ids:
            by_code.setdefault(code_id, []).append(unit)
    chosen: dict[int, list[reports.Unit]] = {}
    for index, row in enumerate(rows):
        below = [row.code_id]
        for later in rows[index + 1 :]:
            if later.depth <= row.depth:
                break
            below.append(later.code_id)
        gathered = {u.selection_id: u for c in below for u in by_code.get(c, [])}
        ordered = sorted(gathered.values(), key=lambda u: (u.source_id, u.start, u.end))
        chosen[row.code_id] = ordered[:per_code]
    needed = {u.source_id for picked in chosen.values() for u in picked}
    texts = dict(usable_sources(project).filter(pk__in=needed).values_list("pk", "text"))
    result: dict[int, list[str]] = {}
    for code_id, picked in chosen.items():
        quotes = []
        for unit in picked:
            quote = " ".join(texts.get(unit.source_id, "")[unit.start : unit.end].split())
            if quote:
                quotes.append(quote if len(quote) <= length else quote[: length - 1] + "…")
        result[code_id] = quotes
    return result


@require_GET
@login_required
def themes(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: theme table")
    filters = _filters(request, grant.project)
    rows = reports.theme_table(grant.project, filters.codebook, consensus_only=filters.consensus)
    units = reports.coded_units(
        grant.project, codebook=filters.codebook, consensus_only=filters.consensus
    )
    quotes = excerpts(grant.project, rows, units)
    chart = charts.bar_chart(
        [(row.name, row.units_total, min(row.depth, 3)) for row in rows],
        title=_("Coded units per code"),
        description=_(
            "Bars show how many coded units carry each code or a code below it. "
            "The table below holds the same numbers."
        ),
        chart_id="themes-chart",
    )
    context = {
        "grant": grant,
        "project": grant.project,
        "filters": filters,
        "rows": [(row, _level_label(row.level), quotes.get(row.code_id, [])) for row in rows],
        "chart": chart if rows else None,
    }
    return render(request, "narratives/reports/themes.html", context)


@require_GET
@login_required
def themes_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: theme table (CSV)")
    filters = _filters(request, grant.project)
    rows = reports.theme_table(grant.project, filters.codebook, consensus_only=filters.consensus)
    return _csv(request, grant.project, "themes", reports.theme_table_csv(rows))


# Co-occurrence -------------------------------------------------------------------------------


@require_GET
@login_required
def cooccurrence(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: co-occurrence")
    filters = _filters(request, grant.project)
    matrix = reports.cooccurrence(grant.project, filters.codebook, consensus_only=filters.consensus)
    # A code no unit carries meets no other code: leave it out of the page (the CSV has all).
    codes = [code for code in matrix.codes if matrix.count(code.pk, code.pk)]
    values = [[matrix.count(row.pk, column.pk) for column in codes] for row in codes]
    keys = [str(number) for number in range(1, len(codes) + 1)]
    chart = charts.heat_map(
        [f"{number}. {code.name}" for number, code in zip(keys, codes, strict=True)],
        keys,
        values,
        title=_("Code co-occurrence"),
        description=_(
            "Darker cells: more overlapping coded units carry both codes. Rows and columns are "
            "numbered the same; the diagonal counts the units of each code. The table below "
            "holds the same numbers."
        ),
        chart_id="cooccurrence-chart",
    )
    context = {
        "grant": grant,
        "project": grant.project,
        "filters": filters,
        "rows": [
            (number, code, row) for number, code, row in zip(keys, codes, values, strict=True)
        ],
        "keys": list(zip(keys, codes, strict=True)),
        "chart": chart if codes else None,
        "hidden": len(matrix.codes) - len(codes),
    }
    return render(request, "narratives/reports/cooccurrence.html", context)


@require_GET
@login_required
def cooccurrence_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: co-occurrence (CSV)")
    filters = _filters(request, grant.project)
    matrix = reports.cooccurrence(grant.project, filters.codebook, consensus_only=filters.consensus)
    return _csv(request, grant.project, "cooccurrence", reports.cooccurrence_csv(matrix))


# Barrier map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Solution:
    depth: int
    name: str
    description: str
    units: int


def solutions(project: NarrativeProject, *, consensus: bool) -> list[Solution]:
    """The proposed solutions of the recovery framework, with the project's units coded to each.

    A unit counts for a solution when one of its codes stands for it (directly, or through the
    nearest parent code that names a concept), as in the barrier map.
    """
    concepts = list(
        Concept.objects.filter(framework=Framework.RECOVERY, kind__in=SOLUTION_KINDS).order_by(
            "position", "pk"
        )
    )
    effective = reports._effective_concepts(project)
    counted: dict[str, int] = {}
    for unit in reports.coded_units(project, consensus_only=consensus):
        linked = {effective[c] for c in unit.code_ids if c in effective}
        for concept in concepts:
            if any(c == concept.code or c.startswith(concept.code + ".") for c in linked):
                counted[concept.code] = counted.get(concept.code, 0) + 1
    return [
        Solution(
            0 if concept.kind == SOLUTION_KINDS[0] else 1,
            concept.name,
            concept.description,
            counted.get(concept.code, 0),
        )
        for concept in concepts
    ]


@require_GET
@login_required
def barriers(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: barrier map")
    filters = _filters(request, grant.project)
    barrier_map = reports.barrier_map(grant.project, consensus_only=filters.consensus)
    keys = [str(number) for number in range(1, len(barrier_map.roots) + 1)]
    values = [
        [barrier_map.count(step, root) for root, _name in barrier_map.roots]
        for step, _name in barrier_map.steps
    ]
    chart = charts.heat_map(
        [name for _step, name in barrier_map.steps],
        keys,
        values,
        title=_("Barriers by recovery step and root"),
        description=_(
            "Darker cells: more coded units link the recovery step (row) to the root of the "
            "barrier (numbered column). The table below holds the same numbers."
        ),
        chart_id="barriers-chart",
    )
    context = {
        "grant": grant,
        "project": grant.project,
        "filters": filters,
        "roots": list(zip(keys, barrier_map.roots, strict=True)),
        "rows": [
            (name, row, sum(row))
            for (_step, name), row in zip(barrier_map.steps, values, strict=True)
        ],
        "total": sum(sum(row) for row in values),
        "chart": chart if barrier_map.steps else None,
        "solutions": solutions(grant.project, consensus=filters.consensus),
    }
    return render(request, "narratives/reports/barriers.html", context)


@require_GET
@login_required
def barriers_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: barrier map (CSV)")
    filters = _filters(request, grant.project)
    barrier_map = reports.barrier_map(grant.project, consensus_only=filters.consensus)
    return _csv(request, grant.project, "barriers", reports.barrier_map_csv(barrier_map))
