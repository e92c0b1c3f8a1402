"""Retrieval: every coded segment of a code, with its context, across the project's sources.

Segments come from ``usable_sources`` only, from one coder's coding or the consensus (as the
reports), and can be narrowed by the sources' case attributes (speaker role, unit, case, date).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from alongside.narratives.models import Code, NarrativeProject, Selection
from alongside.narratives.services import usable_sources

CONTEXT = 120  # characters shown before and after a segment


@dataclass(frozen=True)
class AttributeFilter:
    speaker_role: str = ""
    unit: str = ""
    case: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def admits(self, attributes: dict[str, str]) -> bool:
        for key in ("speaker_role", "unit", "case"):
            wanted = getattr(self, key).strip().casefold()
            if wanted and attributes.get(key, "").strip().casefold() != wanted:
                return False
        if self.date_from is None and self.date_to is None:
            return True
        try:
            when = date.fromisoformat(attributes.get("date", ""))
        except ValueError:
            return False
        return (self.date_from is None or self.date_from <= when) and (
            self.date_to is None or when <= self.date_to
        )


@dataclass(frozen=True)
class Segment:
    source_id: int
    source_name: str
    attributes: dict[str, str]
    start: int
    end: int
    before: str
    text: str
    after: str
    condensed: str
    coder_name: str
    codes: list[str] = field(default_factory=list)


def _below(code: Code) -> set[int]:
    found = {code.pk}
    level = {code.pk}
    while level:
        level = set(Code.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found |= level
    return found


def segments(
    project: NarrativeProject,
    code: Code,
    *,
    coder_guid: uuid.UUID | None,
    consensus: bool,
    attributes: AttributeFilter,
) -> list[Segment]:
    """Every segment coded with ``code`` or a code below it, in source and text order."""
    sources = {
        source.pk: source
        for source in usable_sources(project).only("pk", "name", "text", "attributes")
        if attributes.admits(source.attributes)
    }
    selections = Selection.objects.filter(
        source_id__in=list(sources), codings__code_id__in=_below(code)
    )
    if consensus:
        selections = selections.filter(is_consensus=True)
    elif coder_guid is not None:
        selections = selections.filter(coder_guid=coder_guid, is_consensus=False)
    else:
        return []
    found: list[Segment] = []
    for selection in selections.distinct().order_by("source_id", "start", "end", "pk"):
        text = sources[selection.source_id].text
        found.append(
            Segment(
                source_id=selection.source_id,
                source_name=sources[selection.source_id].name,
                attributes=sources[selection.source_id].attributes,
                start=selection.start,
                end=selection.end,
                before=text[max(0, selection.start - CONTEXT) : selection.start],
                text=text[selection.start : selection.end],
                after=text[selection.end : selection.end + CONTEXT],
                condensed=selection.condensed,
                coder_name=selection.coder_name,
            )
        )
    return found
