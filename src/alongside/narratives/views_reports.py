"""Report pages of a narratives project: theme table, code co-occurrence, barrier map.

Every member of the project (lead, coder, viewer) reads them; anyone else gets 404 from
``access.open_project``. Each page shows an HTML table, a server-rendered SVG chart of the same
numbers and a CSV download. The numbers come from ``reports.py``, which reads only
``usable_sources``: a withdrawn narrative counts nowhere.

Filters (GET): one codebook (theme table and co-occurrence) and whose coding is counted: the
consensus or one coder, never several coders added up. During a blind coding round a coder's
only choice is their own coding (``coding_choices``).
"""

from __future__ import annotations

import uuid
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
from alongside.narratives import charts, reports, services, workbench
from alongside.narratives.models import Codebook, CodeLevel, NarrativeProject

SOLUTION_KINDS = ("solution_area", "solution")


CONSENSUS = "consensus"


class ReportFilterForm(forms.Form):
    codebook = forms.TypedChoiceField(
        label=gettext_lazy("Codebook"), coerce=int, required=False, empty_value=None
    )
    coding = forms.ChoiceField(label=gettext_lazy("Whose coding"))

    def __init__(
        self,
        project: NarrativeProject,
        codings: list[tuple[str, str]],
        *args: object,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.codebooks = list(Codebook.objects.filter(project=project).order_by("pk"))
        field = self.fields["codebook"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All codebooks")), *((c.pk, c.name) for c in self.codebooks)]
        coding = self.fields["coding"]
        assert isinstance(coding, forms.ChoiceField)
        coding.choices = codings


@dataclass(frozen=True)
class Filters:
    form: ReportFilterForm
    codebook: Codebook | None
    coding: str  # "consensus" or a coder's GUID
    blind: bool  # a coding round is open and the reader sees only their own coding

    @property
    def coder_guid(self) -> uuid.UUID | None:
        return None if self.coding == CONSENSUS else uuid.UUID(self.coding)

    @property
    def consensus(self) -> bool:
        return self.coding == CONSENSUS

    @property
    def query(self) -> str:
        """The filters as a query string, for the CSV link of the same view."""
        parts = [f"coding={self.coding}"]
        if self.codebook is not None:
            parts.append(f"codebook={self.codebook.pk}")
        return "?" + "&".join(parts)


def coding_choices(grant: access.ProjectAccess) -> list[tuple[str, str]]:
    """Whose coding the reader may count: during a blind round a coder sees only their own;
    afterwards, and for the lead, the consensus or any one coder. Never everyone added up."""
    me = str(services.user_guid(grant.user.pk))
    if not services.sees_everyones_coding(grant.project, grant.role):
        return [(me, _("My coding"))]
    coders = [
        (guid, _("My coding") if guid == me else name)
        for guid, name in workbench.coders(grant.project)
    ]
    if me not in dict(coders) and grant.codes:
        coders.insert(0, (me, _("My coding")))
    return [(CONSENSUS, _("Consensus")), *coders]


def default_coding(grant: access.ProjectAccess, choices: list[tuple[str, str]]) -> str:
    me = str(services.user_guid(grant.user.pk))
    keys = [key for key, _label in choices]
    if me in keys and grant.codes:
        return me
    return keys[0]


def _filters(request: HttpRequest, grant: access.ProjectAccess) -> Filters:
    """Read the filters; unknown or foreign codebooks and coders fall back to the defaults."""
    project = grant.project
    choices = coding_choices(grant)
    default = default_coding(grant, choices)
    blind = not services.sees_everyones_coding(project, grant.role)
    data = request.GET.copy()
    data.setdefault("coding", default)
    form = ReportFilterForm(project, choices, data)
    if not form.is_valid():
        fallback = ReportFilterForm(project, choices, {"coding": default})
        fallback.is_valid()
        return Filters(fallback, None, default, blind)
    chosen = form.cleaned_data["codebook"]
    codebook = next((c for c in form.codebooks if c.pk == chosen), None)
    return Filters(form, codebook, form.cleaned_data["coding"], blind)


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
    texts = dict(services.usable_sources(project).filter(pk__in=needed).values_list("pk", "text"))
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
    filters = _filters(request, grant)
    rows = reports.theme_table(
        grant.project,
        filters.codebook,
        coder_guid=filters.coder_guid,
        consensus_only=filters.consensus,
    )
    units = reports.coded_units(
        grant.project,
        codebook=filters.codebook,
        coder_guid=filters.coder_guid,
        consensus_only=filters.consensus,
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
    filters = _filters(request, grant)
    rows = reports.theme_table(
        grant.project,
        filters.codebook,
        coder_guid=filters.coder_guid,
        consensus_only=filters.consensus,
    )
    return _csv(request, grant.project, "themes", reports.theme_table_csv(rows))


# Co-occurrence -------------------------------------------------------------------------------


@require_GET
@login_required
def cooccurrence(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: co-occurrence")
    filters = _filters(request, grant)
    matrix = reports.cooccurrence(
        grant.project,
        filters.codebook,
        coder_guid=filters.coder_guid,
        consensus_only=filters.consensus,
    )
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
    filters = _filters(request, grant)
    matrix = reports.cooccurrence(
        grant.project,
        filters.codebook,
        coder_guid=filters.coder_guid,
        consensus_only=filters.consensus,
    )
    return _csv(request, grant.project, "cooccurrence", reports.cooccurrence_csv(matrix))


# Barrier map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Solution:
    depth: int
    name: str
    description: str
    units: int


def solutions(
    project: NarrativeProject, *, coder_guid: uuid.UUID | None, consensus: bool
) -> list[Solution]:
    """The proposed solutions of the recovery framework, with the passages coded to each.

    A unit's passage counts for a solution when one of its codes stands for it (directly, or
    through the nearest parent code that names a concept), as in the barrier map.
    """
    concepts = list(
        Concept.objects.filter(framework=Framework.RECOVERY, kind__in=SOLUTION_KINDS).order_by(
            "position", "pk"
        )
    )
    effective = reports._effective_concepts(project)
    spans: dict[str, reports.Spans] = {}
    for unit in reports.coded_units(project, coder_guid=coder_guid, consensus_only=consensus):
        linked = {effective[c] for c in unit.code_ids if c in effective}
        for concept in concepts:
            if any(c == concept.code or c.startswith(concept.code + ".") for c in linked):
                by_source = spans.setdefault(concept.code, {})
                by_source.setdefault(unit.source_id, []).append((unit.start, unit.end))
    counted = {code: reports.passage_count(found) for code, found in spans.items()}
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
    filters = _filters(request, grant)
    barrier_map = reports.barrier_map(
        grant.project, coder_guid=filters.coder_guid, consensus_only=filters.consensus
    )
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
        "solutions": solutions(
            grant.project, coder_guid=filters.coder_guid, consensus=filters.consensus
        ),
    }
    return render(request, "narratives/reports/barriers.html", context)


@require_GET
@login_required
def barriers_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    grant = _open(request, project_id, "report: barrier map (CSV)")
    filters = _filters(request, grant)
    barrier_map = reports.barrier_map(
        grant.project, coder_guid=filters.coder_guid, consensus_only=filters.consensus
    )
    return _csv(request, grant.project, "barriers", reports.barrier_map_csv(barrier_map))
