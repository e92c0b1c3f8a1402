"""Reads for the analysis workbench pages: a project's overview, its codes, a source to code.

Every function takes a project the caller already opened through ``access.open_project``; each
runs a fixed number of queries whatever the size of the project.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Count, Q, QuerySet

from alongside.accounts.models import User
from alongside.narratives.models import (
    Code,
    Codebook,
    Coding,
    Memo,
    NarrativeProject,
    ProjectMember,
    Selection,
    Source,
)
from alongside.narratives.reports import _tree_order
from alongside.narratives.services import (
    MEMBER_STAFF_ROLES,
    eligible_members,
    sees_everyones_coding,
    usable_sources,
)
from alongside.organisations.models import Role, StaffRole


@dataclass(frozen=True)
class SourceRow:
    source: Source
    units: int
    mine: int


def source_rows(
    project: NarrativeProject, coder: uuid.UUID, *, blind: bool = False
) -> list[SourceRow]:
    """The project's usable sources with how many units are coded, in all and by this coder.

    During a blind round a coder learns nothing of others' coding, not even how much: "in all"
    is then their own count.
    """
    sources = usable_sources(project).annotate(
        units=Count("selections", distinct=True),
        mine=Count("selections", filter=Q(selections__coder_guid=coder), distinct=True),
    )
    return [
        SourceRow(source, source.mine if blind else source.units, source.mine)
        for source in sources.order_by("pk")
    ]


def member_candidates(
    lead: User, project: NarrativeProject
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Staff the lead may add who are not members yet, grouped by their staff role (analysts,
    researchers), in two queries. Someone with both roles appears under each."""
    current = ProjectMember.objects.filter(project=project).values("user")
    users = {u.pk: u for u in eligible_members(lead).exclude(pk__in=current)}
    roles = (
        StaffRole.objects.current()
        .filter(user_id__in=users, role__in=MEMBER_STAFF_ROLES)
        .values_list("role", "user_id")
        .distinct()
    )
    grouped: dict[str, dict[int, str]] = {role: {} for role in sorted(MEMBER_STAFF_ROLES)}
    for role, user_id in roles:
        user = users[user_id]
        grouped[role][user_id] = f"{user.shown_name} ({user.username})"
    return [
        (str(Role(role).label), sorted(people.items(), key=lambda item: (item[1], item[0])))
        for role, people in grouped.items()
        if people
    ]


def members(project: NarrativeProject) -> QuerySet[ProjectMember]:
    return project.members.select_related("user").order_by("role", "user__display_name", "pk")


def project_codes(project: NarrativeProject) -> list[Code]:
    """Every code of the project's codebooks, codebook by codebook, parents before children."""
    codes = list(
        Code.objects.filter(codebook__project=project)
        .select_related("codebook")
        .order_by("codebook_id", "position", "pk")
    )
    return [code for code, _depth in _tree_order(codes)]


@dataclass(frozen=True)
class CodeRow:
    code: Code
    depth: int
    units: int


def codebook_tree(codebook: Codebook) -> list[CodeRow]:
    """One codebook's codes depth first, each with its number of coded units."""
    codes = list(codebook.codes.annotate(units=Count("codings")).order_by("position", "pk"))
    return [CodeRow(code, depth, code.units) for code, depth in _tree_order(codes)]  # type: ignore[attr-defined]


def memos(
    project: NarrativeProject, *, only_by: int | None = None, **target: object
) -> QuerySet[Memo]:
    """The project's memos on ``target``; with ``only_by`` (a user id), only that user's.

    During a blind round a coder's memos are part of their reading, so other coders see only
    their own until the lead closes the round (``visible_memos``).
    """
    found = project.memos.filter(**target)
    if only_by is not None:
        found = found.filter(author_id=only_by)
    return found.select_related("author", "code").order_by("created_at")


def visible_memos(
    project: NarrativeProject, user_id: int, role: str | None, **target: object
) -> QuerySet[Memo]:
    """The memos this member may read: everyone's once the round is closed (or for the lead),
    otherwise their own only (imported memos by someone who is not one of our users wait too)."""
    everyone = sees_everyones_coding(project, role)
    return memos(project, only_by=None if everyone else user_id, **target)


@dataclass
class Segment:
    """A run of the source's text and the viewer's units that cover it (for highlighting).

    ``label`` names the codes (and, with several coders, the coders) of the covering units;
    ``colors`` are those codes' colours (the page paints them as stripes, code by code), and
    ``stripe`` tells coders apart: 1 to 4 for one coder, 0 for several, "c" for consensus.
    """

    text: str
    units: list[int] = field(default_factory=list)
    label: str = ""
    stripe: str = ""
    colors: list[str] = field(default_factory=list)


def _stripes(selections: list[Selection]) -> dict[int, str]:
    coders: dict[uuid.UUID, int] = {}
    stripes: dict[int, str] = {}
    for selection in selections:
        if selection.is_consensus:
            stripes[selection.pk] = "c"
            continue
        number = coders.setdefault(selection.coder_guid, len(coders) % 4 + 1)
        stripes[selection.pk] = str(number)
    return stripes


def _codes_of(covering: list[Selection]) -> list[Code]:
    found: dict[int, Code] = {}
    for selection in covering:
        for code in getattr(selection, "code_list", []):
            found.setdefault(code.pk, code)
    return list(found.values())


def _label(covering: list[Selection], several: bool) -> str:
    label = ", ".join(dict.fromkeys(code.name for code in _codes_of(covering)))
    if several:
        coders = ", ".join(dict.fromkeys(s.coder_name for s in covering))
        label = f"{label} ({coders})" if label else coders
    return label


def segments(text: str, selections: list[Selection]) -> list[Segment]:
    """Cut ``text`` at every unit boundary so each piece is covered by a fixed set of units."""
    cuts = {0, len(text)}
    for selection in selections:
        cuts.update((selection.start, selection.end))
    points = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    stripes = _stripes(selections)
    several = len(set(stripes.values())) > 1
    pieces: list[Segment] = []
    for start, end in pairwise(points):
        covering = [s for s in selections if s.start <= start and end <= s.end]
        kinds = {stripes[s.pk] for s in covering}
        stripe = kinds.pop() if len(kinds) == 1 else ("0" if kinds else "")
        colors = list(dict.fromkeys(c.color for c in _codes_of(covering) if c.color))
        pieces.append(
            Segment(
                text[start:end],
                [s.pk for s in covering],
                _label(covering, several),
                stripe if several else "",
                colors,
            )
        )
    return pieces


@dataclass(frozen=True)
class LegendEntry:
    """One line of the highlight legend: a code with its colour, or a coder with their stripe."""

    name: str
    color: str = ""
    stripe: str = ""


def code_legend(selections: list[Selection]) -> list[LegendEntry]:
    """The codes highlighted in the text, in order of first use, each with its colour."""
    return [LegendEntry(code.name, code.color) for code in _codes_of(selections)]


def coder_legend(selections: list[Selection]) -> list[LegendEntry]:
    """The coders whose units are highlighted, each with the stripe that marks their units."""
    stripes = _stripes(selections)
    several = len(set(stripes.values())) > 1  # as ``segments``: one coder gets no stripe
    seen: dict[str, LegendEntry] = {}
    for selection in selections:
        stripe = stripes[selection.pk]
        seen.setdefault(stripe, LegendEntry(selection.coder_name, stripe=stripe if several else ""))
    return list(seen.values())


def units_in(source: Source, *, coder: uuid.UUID | None) -> list[Selection]:
    """The units of one source with their codes: one coder's, or everyone's (``None``)."""
    selections = source.selections.all()
    if coder is not None:
        selections = selections.filter(coder_guid=coder)
    found = list(selections.order_by("start", "end", "pk"))
    codes: dict[int, list[Code]] = defaultdict(list)
    for coding in Coding.objects.filter(selection__in=found).select_related("code"):
        codes[coding.selection_id].append(coding.code)
    for selection in found:
        selection.code_list = codes.get(selection.pk, [])  # type: ignore[attr-defined]
        excerpt = source.text[selection.start : selection.end]
        selection.excerpt = excerpt if len(excerpt) <= 300 else excerpt[:299] + "…"  # type: ignore[attr-defined]
    return found


def coders(project: NarrativeProject) -> list[tuple[str, str]]:
    """Everyone who coded in the project (consensus excluded), as (guid, name) choices."""
    rows = (
        Selection.objects.filter(source__project=project, is_consensus=False)
        .values_list("coder_guid", "coder_name")
        .distinct()
        .order_by("coder_name", "coder_guid")
    )
    seen: dict[str, str] = {}
    for guid, name in rows:
        seen.setdefault(str(guid), name or str(guid))
    return list(seen.items())
