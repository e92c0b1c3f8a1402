"""What a project's coding adds up to: theme table, co-occurrence, barrier map, agreement.

Everything here reads coded units through ``services.usable_sources``, so a source whose consent
was withdrawn counts nowhere. The pages run each report on one coder (``coder_guid``) or on the
consensus units, as the reader chooses, so several coders' work on the same text is never added up.

Reports count **coded passages**: stretches of text carrying a code, where overlapping units with
the same code join into one passage. A passage three units cover counts once, and a co-occurrence
cell (passages where two codes overlap) can never exceed either code's own count. Each report has
a CSV form (cells escaped by ``core.csv_safe``) for the analyst's own tools.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from alongside.core.csv_safe import csv_text
from alongside.frameworks.models import Concept, Framework
from alongside.narratives import agreement
from alongside.narratives.models import Code, Codebook, Coding, NarrativeProject, Selection
from alongside.narratives.services import usable_sources

STEP_KIND = "step"
ROOT_KINDS = ("root_area", "root")


@dataclass(frozen=True)
class Unit:
    """One coded unit (a selection) as the reports see it."""

    selection_id: int
    source_id: int
    start: int
    end: int
    condensed: str
    coder_guid: uuid.UUID
    code_ids: frozenset[int]


def coded_units(
    project: NarrativeProject,
    *,
    codebook: Codebook | None = None,
    coder_guid: uuid.UUID | None = None,
    consensus_only: bool = False,
) -> list[Unit]:
    """The coded units of the project's usable sources, in source and text order. Two queries."""
    selections = Selection.objects.filter(source__in=usable_sources(project))
    if coder_guid is not None:
        selections = selections.filter(coder_guid=coder_guid)
    if consensus_only:
        selections = selections.filter(is_consensus=True)
    codings = Coding.objects.filter(selection__in=selections)
    if codebook is not None:
        codings = codings.filter(code__codebook=codebook)
    codes: dict[int, set[int]] = defaultdict(set)
    for selection_id, code_id in codings.values_list("selection_id", "code_id"):
        codes[selection_id].add(code_id)
    rows = selections.order_by("source_id", "start", "end", "pk").values_list(
        "pk", "source_id", "start", "end", "condensed", "coder_guid"
    )
    return [
        Unit(pk, source_id, start, end, condensed, guid, frozenset(codes.get(pk, ())))
        for pk, source_id, start, end, condensed, guid in rows
        if pk in codes
    ]


# Passages: overlapping units joined ------------------------------------------------------------

Spans = dict[int, list[agreement.Interval]]  # source id -> spans


def passages(spans: list[agreement.Interval]) -> list[agreement.Interval]:
    """Spans joined where they overlap (touching spans stay two passages), in text order."""
    joined: list[agreement.Interval] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def passage_count(by_source: Spans) -> int:
    return sum(len(passages(spans)) for spans in by_source.values())


def passages_with_both(first: list[agreement.Interval], second: list[agreement.Interval]) -> int:
    """Joined passages of ``first`` and ``second`` together in which the two overlap.

    Each such passage holds at least one whole passage of each, so the count never exceeds
    either's own number of passages.
    """
    tagged = sorted(
        [(s, e, 0) for s, e in passages(first)] + [(s, e, 1) for s, e in passages(second)]
    )
    count = 0
    end = -1
    kinds: set[int] = set()
    for start, stop, kind in tagged:
        if start >= end:
            count += len(kinds) == 2
            kinds = set()
        kinds.add(kind)
        end = max(end, stop)
    count += len(kinds) == 2
    return count


def spans_by_code(units: Iterable[Unit]) -> dict[int, Spans]:
    """code id -> source id -> the spans of the units carrying that code."""
    found: dict[int, Spans] = defaultdict(lambda: defaultdict(list))
    for unit in units:
        for code_id in unit.code_ids:
            found[code_id][unit.source_id].append((unit.start, unit.end))
    return found


def _project_codes(project: NarrativeProject, codebook: Codebook | None) -> list[Code]:
    codes = Code.objects.filter(codebook__project=project)
    if codebook is not None:
        codes = codes.filter(codebook=codebook)
    return list(codes.order_by("codebook_id", "position", "pk"))


def _tree_order(codes: Sequence[Code]) -> list[tuple[Code, int]]:
    """Codes depth first (parents before their children), with their depth."""
    children: dict[int | None, list[Code]] = defaultdict(list)
    known = {code.pk for code in codes}
    for code in codes:
        parent = code.parent_id if code.parent_id in known else None
        children[parent].append(code)
    ordered: list[tuple[Code, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            ordered.append((code, depth))
            walk(code.pk, depth + 1)

    walk(None, 0)
    return ordered


# Theme table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    code_id: int
    depth: int
    level: str
    name: str
    path: tuple[str, ...]
    definition: str
    concept_code: str
    units: int  # passages coded with this code itself
    units_total: int  # passages coded with it or anything below it (overlaps joined)
    sources_total: int
    examples: tuple[str, ...]  # a few condensed meanings, in text order


def theme_table(
    project: NarrativeProject,
    codebook: Codebook | None = None,
    *,
    coder_guid: uuid.UUID | None = None,
    consensus_only: bool = False,
    examples: int = 3,
) -> list[ThemeRow]:
    """One row per code, in codebook order, counting coded passages and sources."""
    codes = _project_codes(project, codebook)
    units = coded_units(
        project, codebook=codebook, coder_guid=coder_guid, consensus_only=consensus_only
    )
    direct: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        for code_id in unit.code_ids:
            direct[code_id].append(unit)
    spans = spans_by_code(units)
    ordered = _tree_order(codes)
    below: dict[int, set[int]] = {code.pk: {code.pk} for code in codes}
    by_id = {code.pk: code for code in codes}
    for code in codes:
        parent = code.parent_id
        while parent is not None and parent in below:
            below[parent].add(code.pk)
            parent = by_id[parent].parent_id
    rows: list[ThemeRow] = []
    path: list[str] = []
    for code, depth in ordered:
        del path[depth:]
        path.append(code.name)
        gathered = {u.selection_id: u for c in below[code.pk] for u in direct.get(c, [])}
        in_order = sorted(gathered.values(), key=lambda u: (u.source_id, u.start, u.end))
        together: Spans = defaultdict(list)
        for unit in gathered.values():
            together[unit.source_id].append((unit.start, unit.end))
        rows.append(
            ThemeRow(
                code_id=code.pk,
                depth=depth,
                level=code.level,
                name=code.name,
                path=tuple(path),
                definition=code.definition,
                concept_code=code.concept_code,
                units=passage_count(spans.get(code.pk, {})),
                units_total=passage_count(together),
                sources_total=len({u.source_id for u in gathered.values()}),
                examples=tuple(u.condensed for u in in_order if u.condensed.strip())[:examples],
            )
        )
    return rows


# Co-occurrence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CooccurrenceMatrix:
    """``counts[(a, b)]`` (a <= b, code ids): passages where codes ``a`` and ``b`` overlap in the
    same source, overlapping spans of either joined into one passage (``passages_with_both``).
    The diagonal counts each code's own passages, and no cell exceeds its row's or column's."""

    codes: list[Code]
    counts: dict[tuple[int, int], int] = field(default_factory=dict)

    def count(self, a: int, b: int) -> int:
        return self.counts.get((min(a, b), max(a, b)), 0)


def cooccurrence(
    project: NarrativeProject,
    codebook: Codebook | None = None,
    *,
    coder_guid: uuid.UUID | None = None,
    consensus_only: bool = False,
) -> CooccurrenceMatrix:
    codes = [code for code, _depth in _tree_order(_project_codes(project, codebook))]
    units = coded_units(
        project, codebook=codebook, coder_guid=coder_guid, consensus_only=consensus_only
    )
    spans = spans_by_code(units)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    used = sorted(spans)
    for position, a in enumerate(used):
        counts[(a, a)] = passage_count(spans[a])
        for b in used[position + 1 :]:
            shared = spans[a].keys() & spans[b].keys()
            total = sum(passages_with_both(spans[a][s], spans[b][s]) for s in shared)
            if total:
                counts[(a, b)] = total
    return CooccurrenceMatrix(codes, dict(counts))


# Barrier map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarrierMap:
    """Coded passages by recovery step (rows) and root of the barrier (columns).

    A unit's passage counts in (step, root) when its codes link, directly or through a parent
    code, to a concept under the step (the step itself, what it contains, its barriers) and to
    the root. Root columns are the two areas (a code linked to the area alone) and each root
    below them.
    """

    steps: list[tuple[str, str]]  # (concept code, name)
    roots: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]

    def count(self, step: str, root: str) -> int:
        return self.counts.get((step, root), 0)


def _effective_concepts(project: NarrativeProject) -> dict[int, str]:
    """Each code's concept: its own, or else the nearest ancestor's."""
    rows = list(
        Code.objects.filter(codebook__project=project).values_list(
            "pk", "parent_id", "concept_code"
        )
    )
    parent_of = {pk: parent for pk, parent, _concept in rows}
    own = {pk: concept for pk, _parent, concept in rows}
    effective: dict[int, str] = {}
    for pk in own:
        current: int | None = pk
        while current is not None and not own.get(current):
            current = parent_of.get(current)
        if current is not None:
            effective[pk] = own[current]
    return effective


def barrier_map(
    project: NarrativeProject,
    *,
    coder_guid: uuid.UUID | None = None,
    consensus_only: bool = False,
) -> BarrierMap:
    concepts = list(Concept.objects.filter(framework=Framework.RECOVERY).order_by("position", "pk"))
    steps = [(c.code, c.name) for c in concepts if c.kind == STEP_KIND]
    areas = [c for c in concepts if c.kind == ROOT_KINDS[0]]
    roots: list[tuple[str, str]] = []
    for area in areas:
        roots.append((area.code, area.name))
        roots.extend(
            (c.code, c.name) for c in concepts if c.kind == ROOT_KINDS[1] and c.parent_id == area.pk
        )
    root_codes = {code for code, _name in roots}
    effective = _effective_concepts(project)
    cells: dict[tuple[str, str], Spans] = defaultdict(lambda: defaultdict(list))
    for unit in coded_units(project, coder_guid=coder_guid, consensus_only=consensus_only):
        linked = {effective[c] for c in unit.code_ids if c in effective}
        unit_steps = {
            step
            for step, _name in steps
            for concept in linked
            if concept == step or concept.startswith(step + ".")
        }
        unit_roots = linked & root_codes
        for step in unit_steps:
            for root in unit_roots:
                cells[(step, root)][unit.source_id].append((unit.start, unit.end))
    counts = {cell: passage_count(spans) for cell, spans in cells.items()}
    return BarrierMap(steps, roots, counts)


# Agreement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementRow:
    source_id: int
    source_name: str
    code_id: int
    code_name: str
    result: agreement.CharacterAgreement


def _spans(
    project: NarrativeProject, coder_guids: Iterable[uuid.UUID], codebook: Codebook | None
) -> dict[tuple[int, int], dict[uuid.UUID, list[agreement.Interval]]]:
    """(source id, code id) -> coder -> the spans that coder gave that code (no consensus)."""
    codings = Coding.objects.filter(
        selection__source__in=usable_sources(project),
        selection__coder_guid__in=list(coder_guids),
        selection__is_consensus=False,
    )
    if codebook is not None:
        codings = codings.filter(code__codebook=codebook)
    spans: dict[tuple[int, int], dict[uuid.UUID, list[agreement.Interval]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for source_id, code_id, guid, start, end in codings.values_list(
        "selection__source_id",
        "code_id",
        "selection__coder_guid",
        "selection__start",
        "selection__end",
    ):
        spans[(source_id, code_id)][guid].append((start, end))
    return spans


def agreement_table(
    project: NarrativeProject,
    coder_a: uuid.UUID,
    coder_b: uuid.UUID,
    codebook: Codebook | None = None,
) -> list[AgreementRow]:
    """Percent agreement and character-level kappa per source and code that either coder used."""
    spans = _spans(project, [coder_a, coder_b], codebook)
    sources = dict(
        usable_sources(project)
        .filter(pk__in={key[0] for key in spans})
        .values_list("pk", "char_count")
    )
    names = dict(usable_sources(project).filter(pk__in=sources).values_list("pk", "name"))
    code_names = dict(Code.objects.filter(pk__in={k[1] for k in spans}).values_list("pk", "name"))
    rows = [
        AgreementRow(
            source_id,
            names[source_id],
            code_id,
            code_names[code_id],
            agreement.character_agreement(
                sources[source_id], by_coder.get(coder_a, []), by_coder.get(coder_b, [])
            ),
        )
        for (source_id, code_id), by_coder in spans.items()
    ]
    return sorted(rows, key=lambda r: (r.source_id, r.code_id))


def weighted_kappa(rows: Iterable[AgreementRow]) -> float | None:
    """Kappa averaged over rows, each weighted by its source's length (as NVivo summarises)."""
    total = Fraction(0)
    weight = 0
    for row in rows:
        total += row.result.kappa_exact * row.result.length
        weight += row.result.length
    return float(total / weight) if weight else None


def unit_alpha(
    project: NarrativeProject,
    coder_guids: Sequence[uuid.UUID],
    *,
    codebook: Codebook | None = None,
    code: Code | None = None,
) -> agreement.Alpha:
    """Krippendorff's alpha (nominal) over pre-segmented units.

    A unit is a span (source, start, end) any of the coders selected. A coder's value for it is
    the set of codes they applied to exactly that span, or, with ``code``, whether they applied
    that code. A coder who did not select the span has a missing value there.
    """
    units: dict[tuple[int, int, int], dict[uuid.UUID, set[int]]] = defaultdict(dict)
    selections = Selection.objects.filter(
        source__in=usable_sources(project), coder_guid__in=list(coder_guids), is_consensus=False
    )
    codings: dict[int, set[int]] = defaultdict(set)
    coding_rows = Coding.objects.filter(selection__in=selections)
    if codebook is not None:
        coding_rows = coding_rows.filter(code__codebook=codebook)
    for selection_id, code_id in coding_rows.values_list("selection_id", "code_id"):
        codings[selection_id].add(code_id)
    for pk, source_id, start, end, guid in selections.values_list(
        "pk", "source_id", "start", "end", "coder_guid"
    ):
        units[(source_id, start, end)].setdefault(guid, set()).update(codings.get(pk, set()))
    keys = sorted(units)
    data: list[list[frozenset[int] | bool | None]] = []
    for guid in coder_guids:
        row: list[frozenset[int] | bool | None] = []
        for key in keys:
            applied = units[key].get(guid)
            if applied is None:
                row.append(None)
            elif code is not None:
                row.append(code.pk in applied)
            else:
                row.append(frozenset(applied))
        data.append(row)
    return agreement.krippendorff_alpha(data)


# CSV -----------------------------------------------------------------------------------------


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return csv_text([header, *rows])


def theme_table_csv(rows: Iterable[ThemeRow]) -> str:
    return _csv(
        [
            _("Path"),
            _("Level"),
            _("Code"),
            _("Framework concept"),
            _("Passages (this code)"),
            _("Passages (with codes below)"),
            _("Sources"),
            _("Definition"),
            _("Examples of condensed meaning"),
        ],
        (
            [
                " > ".join(r.path),
                r.level,
                r.name,
                r.concept_code,
                r.units,
                r.units_total,
                r.sources_total,
                r.definition,
                " | ".join(r.examples),
            ]
            for r in rows
        ),
    )


def cooccurrence_csv(matrix: CooccurrenceMatrix) -> str:
    return _csv(
        ["", *(code.name for code in matrix.codes)],
        (
            [row.name, *(matrix.count(row.pk, column.pk) for column in matrix.codes)]
            for row in matrix.codes
        ),
    )


def barrier_map_csv(barriers: BarrierMap) -> str:
    header = [_("Recovery step"), *(name for _code, name in barriers.roots), _("Total")]
    rows: list[list[object]] = []
    for step, step_name in barriers.steps:
        cells = [barriers.count(step, root) for root, _name in barriers.roots]
        rows.append([step_name, *cells, sum(cells)])
    return _csv(header, rows)


def agreement_csv(rows: Iterable[AgreementRow]) -> str:
    return _csv(
        [
            _("Source"),
            _("Code"),
            _("Characters"),
            _("Coded by A"),
            _("Coded by B"),
            _("Coded by both"),
            _("Percent agreement"),
            _("Kappa"),
        ],
        (
            [
                r.source_name,
                r.code_name,
                r.result.length,
                r.result.coded_a,
                r.result.coded_b,
                r.result.both,
                f"{r.result.agreement:.2f}",
                f"{r.result.kappa:.4f}",
            ]
            for r in rows
        ),
    )
