"""REFI-QDA exchange: a project as ``.qdpx``, a codebook as ``.qdc``, and the way back in.

**Export.** ``export_qdpx`` writes a zip with ``project.qde`` (namespace
``urn:QDA-XML:project:1.0``) and one UTF-8 file per source under ``sources/``. Only
``usable_sources`` are written: a withdrawn source never leaves. Each source file has the line
endings it was uploaded with (no byte-order mark), and selections count code points into that
file, end exclusive, CRLF as two, as REFI-QDA says; the offset map in ``text.py`` converts from
our normalised text. Every export is validated against the vendored schema before it is returned.

What REFI-QDA has no place for travels in places other tools show as text:

* a code's definition, examples, level and framework concept go into its ``Description``
  (definition, then ``Examples:`` with ``- `` items, then ``Level:`` and ``Concept:`` lines);
* each codebook of the project is a ``Set`` of its codes (the project has one REFI code tree);
* the condensed meaning of a unit is its selection's ``Description``;
* case attributes (speaker role, unit, date) and the source kind are ``VariableValue``\\ s;
* memos are ``Notes``, referenced from the project, the code or the source.

**Import** (``import_qdpx``, ``import_qdc``) reads our files back to the same selections at the same
offsets, and is tolerant of what other tools write:

* *NVivo* puts sources in ``Sources/``: entries are looked up without regard to case;
* *QualCoder* starts source files with a byte-order mark: it is stripped and not counted;
* *ATLAS.ti* counts CRLF as one character. For a source with CRLF, ``crlf_counting="auto"`` decides
  per source: if any selection ends beyond the length with CRLF counted once, only the spec's
  counting fits ("two"); otherwise if any boundary would fall between a CR and its LF under the
  spec's counting, or the project's ``origin`` names ATLAS.ti, it is "one"; otherwise "two". The
  caller can force either. What was decided is listed in ``ParsedProject.notes``;
* *MAXQDA* writes selections without codings: they become coded units with no codes yet;
  a ``Coding`` directly on a source (no selection) becomes a unit spanning the whole text;
* namespaces are ignored on the way in (elements are matched by local name); a document that
  declares a DTD is refused (REFI-QDA needs none, and it is how entity attacks arrive).

Our own exports come back whole: consensus units stay consensus (their coder is written as a
user of its own whose ``id`` starts with ``CONSENSUS_ID``), memos keep their authors (our users
where this installation exported them, else the author's name from the file), codes keep their
colours, and the ``case`` attribute travels as a REFI-QDA ``Case`` as well as a variable.

What an import cannot keep: notes on a single selection become memos on its source, and sources
other than text (PDF, pictures, audio, video) are skipped. A text source whose text the file
does not hold refuses the whole import (all or nothing). ``ImportResult.messages`` lists each
adjustment, and the audit event of the import repeats them.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.narratives import services
from alongside.narratives.models import (
    LEVEL_ORDER,
    Code,
    Codebook,
    CodebookOrigin,
    Coding,
    Memo,
    MemoTarget,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
    SourceKind,
)
from alongside.narratives.refi_schema import (
    CODEBOOK_NS,
    PROJECT_NS,
    parse_untrusted,
    project_errors,
    validate_codebook,
    validate_project,
)
from alongside.narratives.text import LineEndings, normalise, xml_safe

ORIGIN = "Alongside"
USER_ID_PREFIX = "alongside:"
SET_MARKER = "Alongside codebook; origin: "
KIND_VARIABLE = "source_kind"
DATE_VARIABLE = "date"
CASE_VARIABLE = "case"
# A ``User`` whose ``id`` starts so stands for a coder's consensus units (``:<our user id>`` follows
# unless the file was pseudonymised): the consensus flag survives a round trip.
CONSENSUS_ID = "alongside:consensus"
MAX_IMPORT_UNPACKED = 2 * 1024 * 1024 * 1024
CrlfCounting = Literal["auto", "two", "one"]
Element = Any  # lxml elements carry no type information

_LEVELS = tuple(LEVEL_ORDER)
_CONCEPT = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")


# Descriptions of codes -----------------------------------------------------------------------


def describe_code(definition: str, examples: Iterable[str], level: str, concept_code: str) -> str:
    """The ``Description`` of a code: definition, examples, then level and concept lines."""
    parts: list[str] = []
    if definition.strip():
        parts.append(definition.rstrip())
    items = [e for e in examples if e.strip()]
    if items:
        lines = ["Examples:"]
        for item in items:
            first, *rest = item.split("\n")
            lines.append(f"- {first}")
            lines.extend(f"  {line}" for line in rest)
        parts.append("\n".join(lines))
    trailer = [f"Level: {level}"]
    if concept_code:
        trailer.append(f"Concept: {concept_code}")
    parts.append("\n".join(trailer))
    return "\n\n".join(parts)


@dataclass(frozen=True)
class CodeDescription:
    definition: str
    examples: tuple[str, ...] = ()
    level: str | None = None
    concept_code: str = ""


def parse_code_description(text: str) -> CodeDescription:
    """Read back what ``describe_code`` wrote; any other description is all definition."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    level: str | None = None
    concept = ""
    while lines:
        key, _sep, value = lines[-1].partition(": ")
        if key == "Level" and value in LEVEL_ORDER and level is None:
            level = value
        elif key == "Concept" and _CONCEPT.match(value) and len(value) <= 100 and not concept:
            concept = value
        elif not lines[-1].strip() and (level or concept):
            pass
        else:
            break
        lines.pop()
    while lines and not lines[-1].strip():
        lines.pop()
    examples: list[str] = []
    for index in range(len(lines) - 1, -1, -1):
        if lines[index] != "Examples:" or (index > 0 and lines[index - 1] != ""):
            continue
        body = lines[index + 1 :]
        if body and all(line.startswith(("- ", "  ")) for line in body):
            if not body[0].startswith("- "):
                break
            for line in body:
                if line.startswith("- "):
                    examples.append(line[2:])
                else:
                    examples[-1] += "\n" + line[2:]
            lines = lines[:index]
            while lines and not lines[-1].strip():
                lines.pop()
        break
    return CodeDescription("\n".join(lines), tuple(examples), level, concept)


# Export --------------------------------------------------------------------------------------


def _q(name: str, namespace: str = PROJECT_NS) -> str:
    return f"{{{namespace}}}{name}"


def _when(moment: datetime) -> str:
    return moment.isoformat()


class _Guids:
    """Hands out each GUID once per file; a repeat (a codebook imported twice) gets a new one."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, guid: uuid.UUID, salt: str = "") -> str:
        value = str(guid)
        while value in self.used:
            value = str(uuid.uuid5(uuid.UUID(value), f"alongside-repeat:{salt}"))
        self.used.add(value)
        return value


def _code_element(
    parent: Element,
    code: Code,
    children: dict[int | None, list[Code]],
    guids: _Guids,
    code_guids: dict[int, str],
    namespace: str,
    note_refs: dict[int, list[str]] | None,
) -> None:
    element = etree.SubElement(parent, _q("Code", namespace))
    guid = guids.take(code.guid, f"code:{code.pk}")
    code_guids[code.pk] = guid
    element.set("guid", guid)
    element.set("name", xml_safe(code.name))
    element.set("isCodable", "true")
    if code.color:
        element.set("color", code.color)
    description = describe_code(code.definition, code.examples, code.level, code.concept_code)
    etree.SubElement(element, _q("Description", namespace)).text = xml_safe(description)
    for target in (note_refs or {}).get(code.pk, []):
        etree.SubElement(element, _q("NoteRef", namespace)).set("targetGUID", target)
    for child in children.get(code.pk, []):
        _code_element(element, child, children, guids, code_guids, namespace, note_refs)


def _children_of(codes: Iterable[Code]) -> dict[int | None, list[Code]]:
    listed = list(codes)
    known = {code.pk for code in listed}
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in sorted(listed, key=lambda c: (c.position, c.pk)):
        children[code.parent_id if code.parent_id in known else None].append(code)
    return children


def _xml(root: Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return data


def _date_value(value: str) -> str | None:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _memo_name(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    return xml_safe(first[:80])


@dataclass
class _Export:
    """What one export writes, read in a fixed number of queries, and the GUIDs handed out."""

    project: NarrativeProject
    sources: list[Source]
    selections: dict[int, list[tuple[Any, ...]]]  # source id -> selection rows
    codings: dict[int, list[tuple[uuid.UUID, int]]]  # selection id -> (coding guid, code id)
    memos: list[Memo]
    codebooks: list[Codebook]
    codes: list[Code]
    guids: _Guids = field(default_factory=_Guids)
    code_guids: dict[int, str] = field(default_factory=dict)
    note_guids: dict[int, str] = field(default_factory=dict)
    source_guids: dict[int, str] = field(default_factory=dict)
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # guid -> (name, id)

    @property
    def selection_count(self) -> int:
        return sum(len(rows) for rows in self.selections.values())


def consensus_user_guid(coder_guid: uuid.UUID) -> uuid.UUID:
    """The REFI-QDA user a coder's consensus units are written under (a user of its own)."""
    return uuid.uuid5(coder_guid, "alongside-consensus")


def _load_export(project: NarrativeProject) -> _Export:
    # Subqueries rather than a list of ids: a project may hold thousands of sources.
    source_ids = services.usable_sources(project).values("pk")
    selections: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        Selection.objects.filter(source_id__in=source_ids)
        .order_by("source_id", "start", "end", "pk")
        .values_list(
            "pk",
            "source_id",
            "guid",
            "start",
            "end",
            "condensed",
            "coder_guid",
            "created_at",
            "is_consensus",
        )
    ):
        selections[row[1]].append(row)
    codings: dict[int, list[tuple[uuid.UUID, int]]] = defaultdict(list)
    for selection_id, coding_guid, code_id in (
        Coding.objects.filter(selection__source_id__in=source_ids)
        .order_by("pk")
        .values_list("selection_id", "guid", "code_id")
    ):
        codings[selection_id].append((coding_guid, code_id))
    # Memos on withdrawn sources stay behind with them.
    memos = list(
        Memo.objects.filter(project=project)
        .filter(Q(source__isnull=True) | Q(source_id__in=source_ids))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return _Export(
        project=project,
        sources=list(services.usable_sources(project).order_by("pk")),
        selections=selections,
        codings=codings,
        memos=memos,
        codebooks=list(Codebook.objects.filter(project=project).order_by("pk")),
        codes=list(Code.objects.filter(codebook__project=project).order_by("position", "pk")),
    )


def _memo_author_guid(memo: Memo, project: NarrativeProject) -> str:
    if memo.author_id is not None:
        return str(services.user_guid(memo.author_id))
    return str(uuid.uuid5(project.guid, f"memo-author:{memo.author_name}"))


def _gather_users(export: _Export) -> None:
    """Users: the creator, every coder (and their consensus), every memo author."""
    users = export.users
    creator = export.project.created_by
    creator_id = f"{USER_ID_PREFIX}{creator.pk}"
    users[str(services.user_guid(creator.pk))] = (creator.shown_name, creator_id)
    coder_rows = (
        Selection.objects.filter(source__in=export.sources)
        .order_by()
        .values_list("coder_guid", "coder_name", "coder_id", "is_consensus")
        .distinct()
    )
    for coder_guid, coder_name, coder_id, is_consensus in coder_rows:
        if is_consensus:
            marker = CONSENSUS_ID + (f":{coder_id}" if coder_id is not None else "")
            users.setdefault(str(consensus_user_guid(coder_guid)), (coder_name, marker))
        else:
            user_id = f"{USER_ID_PREFIX}{coder_id}" if coder_id is not None else ""
            users.setdefault(str(coder_guid), (coder_name, user_id))
    for memo in export.memos:
        if memo.author is not None:
            user_id = f"{USER_ID_PREFIX}{memo.author_id}"
            users.setdefault(_memo_author_guid(memo, export.project), (memo.shown_author, user_id))
        else:
            users.setdefault(_memo_author_guid(memo, export.project), (memo.author_name, ""))


def _write_users(root: Element, export: _Export) -> None:
    users_element = etree.SubElement(root, _q("Users"))
    for guid, (name, user_id) in export.users.items():
        export.guids.used.add(guid)
        user = etree.SubElement(users_element, _q("User"), guid=guid)
        if name:
            user.set("name", xml_safe(name))
        if user_id:
            user.set("id", user_id)


@dataclass
class _NoteTargets:
    codes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    sources: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    project: list[str] = field(default_factory=list)


def _note_targets(export: _Export) -> _NoteTargets:
    """Notes get their GUIDs first, so codes and sources can refer to them."""
    targets = _NoteTargets()
    for memo in export.memos:
        guid = export.guids.take(memo.guid, f"memo:{memo.pk}")
        export.note_guids[memo.pk] = guid
        if memo.target == MemoTarget.CODE and memo.code_id is not None:
            targets.codes[memo.code_id].append(guid)
        elif memo.target == MemoTarget.SOURCE and memo.source_id is not None:
            targets.sources[memo.source_id].append(guid)
        else:
            targets.project.append(guid)
    return targets


def _write_codebook(root: Element, export: _Export, code_notes: dict[int, list[str]]) -> None:
    if not export.codes:
        return
    codes_element = etree.SubElement(etree.SubElement(root, _q("CodeBook")), _q("Codes"))
    for codebook in export.codebooks:
        children = _children_of(c for c in export.codes if c.codebook_id == codebook.pk)
        for code in children.get(None, []):
            _code_element(
                codes_element,
                code,
                children,
                export.guids,
                export.code_guids,
                PROJECT_NS,
                code_notes,
            )


@dataclass
class _Variables:
    guids: dict[str, str] = field(default_factory=dict)  # variable name -> guid
    types: dict[str, str] = field(default_factory=dict)


def _write_variables(root: Element, export: _Export) -> _Variables:
    variables = _Variables()
    for source in export.sources:
        for name in [KIND_VARIABLE, *sorted(source.attributes)]:
            if name not in variables.guids:
                variables.guids[name] = export.guids.take(
                    uuid.uuid5(export.project.guid, f"variable:{name}"), f"variable:{name}"
                )
                variables.types[name] = "Date" if name == DATE_VARIABLE else "Text"
    if variables.guids:
        variables_element = etree.SubElement(root, _q("Variables"))
        for name, guid in variables.guids.items():
            etree.SubElement(
                variables_element,
                _q("Variable"),
                guid=guid,
                name=name,
                typeOfVariable=variables.types[name],
            )
    return variables


def _write_cases(root: Element, export: _Export, variables: _Variables) -> None:
    """One ``Case`` per value of the ``case`` attribute, naming its sources (as QualCoder does)."""
    cases: dict[str, list[str]] = defaultdict(list)
    for source in export.sources:
        case = source.attributes.get(CASE_VARIABLE, "")
        if case:
            cases[case].append(export.source_guids[source.pk])
    if not cases:
        return
    cases_element = etree.SubElement(root, _q("Cases"))
    for name, source_guids in cases.items():
        guid = export.guids.take(uuid.uuid5(export.project.guid, f"case:{name}"), f"case:{name}")
        element = etree.SubElement(cases_element, _q("Case"), guid=guid, name=xml_safe(name))
        _variable_value(element, variables, CASE_VARIABLE, name)
        for source_guid in source_guids:
            etree.SubElement(element, _q("SourceRef"), targetGUID=source_guid)


def _variable_value(holder: Element, variables: _Variables, name: str, value: str) -> None:
    if variables.types[name] == "Date":
        checked = _date_value(value)
        if checked is None:
            return
        tag, value = "DateValue", checked
    else:
        tag = "TextValue"
    element = etree.SubElement(holder, _q("VariableValue"))
    etree.SubElement(element, _q("VariableRef"), targetGUID=variables.guids[name])
    etree.SubElement(element, _q(tag)).text = xml_safe(value)


def _selection_user(coder: uuid.UUID, is_consensus: bool) -> str:
    return str(consensus_user_guid(coder) if is_consensus else coder)


def _write_selection(
    element: Element, export: _Export, endings: LineEndings, row: tuple[Any, ...]
) -> None:
    pk, _source_id, guid, start, end, condensed, coder, created, is_consensus = row
    user = _selection_user(coder, is_consensus)
    selection = etree.SubElement(
        element,
        _q("PlainTextSelection"),
        guid=export.guids.take(guid, f"selection:{pk}"),
        startPosition=str(endings.to_original(start)),
        endPosition=str(endings.to_original(end)),
        creatingUser=user,
        creationDateTime=_when(created),
    )
    if condensed:
        etree.SubElement(selection, _q("Description")).text = xml_safe(condensed)
    for coding_guid, code_id in export.codings.get(pk, []):
        coding = etree.SubElement(
            selection,
            _q("Coding"),
            guid=export.guids.take(coding_guid, f"coding:{pk}:{code_id}"),
            creatingUser=user,
        )
        etree.SubElement(coding, _q("CodeRef"), targetGUID=export.code_guids[code_id])


def _write_source(
    sources_element: Element,
    export: _Export,
    source: Source,
    variables: _Variables,
    source_notes: list[str],
    line_endings: Literal["original", "lf"],
) -> tuple[str, bytes]:
    """One ``TextSource`` with its selections; returns the file that carries its text."""
    guid = export.source_guids[source.pk]
    endings = source.line_endings if line_endings == "original" else LineEndings()
    text = endings.original_text() if line_endings == "original" else source.text
    element = etree.SubElement(
        sources_element,
        _q("TextSource"),
        guid=guid,
        name=xml_safe(source.name),
        plainTextPath=f"internal://{guid}.txt",
        creationDateTime=_when(source.created_at),
    )
    if not source.anonymous_to_service and source.kind == SourceKind.TRANSCRIPT:
        element.set("creatingUser", str(services.user_guid(source.submitted_by_id)))
    for row in export.selections.get(source.pk, []):
        _write_selection(element, export, endings, row)
    for note in source_notes:
        etree.SubElement(element, _q("NoteRef"), targetGUID=note)
    values = {KIND_VARIABLE: source.kind, **source.attributes}
    for name in [KIND_VARIABLE, *sorted(source.attributes)]:
        _variable_value(element, variables, name, str(values[name]))
    return f"sources/{guid}.txt", text.encode("utf-8")


def _write_sources(
    root: Element,
    export: _Export,
    variables: _Variables,
    source_notes: dict[int, list[str]],
    line_endings: Literal["original", "lf"],
) -> dict[str, bytes]:
    if not export.sources:
        return {}
    sources_element = etree.SubElement(root, _q("Sources"))
    return dict(
        _write_source(
            sources_element,
            export,
            source,
            variables,
            source_notes.get(source.pk, []),
            line_endings,
        )
        for source in export.sources
    )


def _write_notes(root: Element, export: _Export) -> None:
    if not export.memos:
        return
    notes_element = etree.SubElement(root, _q("Notes"))
    for memo in export.memos:
        note = etree.SubElement(
            notes_element,
            _q("Note"),
            guid=export.note_guids[memo.pk],
            name=_memo_name(memo.text),
            creatingUser=_memo_author_guid(memo, export.project),
            creationDateTime=_when(memo.created_at),
        )
        etree.SubElement(note, _q("PlainTextContent")).text = xml_safe(memo.text)


def _write_sets(root: Element, export: _Export) -> None:
    """Each codebook of the project as a ``Set`` of its codes."""
    if not export.codebooks:
        return
    sets_element = etree.SubElement(root, _q("Sets"))
    for codebook in export.codebooks:
        element = etree.SubElement(
            sets_element,
            _q("Set"),
            guid=export.guids.take(codebook.guid, f"codebook:{codebook.pk}"),
            name=xml_safe(codebook.name),
        )
        etree.SubElement(element, _q("Description")).text = SET_MARKER + codebook.origin
        for code in export.codes:
            if code.codebook_id == codebook.pk:
                etree.SubElement(element, _q("MemberCode"), targetGUID=export.code_guids[code.pk])


def _project_root(project: NarrativeProject) -> Element:
    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", xml_safe(project.name))
    root.set("origin", ORIGIN)
    root.set("creationDateTime", _when(project.created_at))
    root.set("creatingUserGUID", str(services.user_guid(project.created_by_id)))
    return root


def _pack(qde: bytes, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def export_qdpx(
    project: NarrativeProject,
    *,
    actor: Actor | None = None,
    line_endings: Literal["original", "lf"] = "original",
) -> bytes:
    """The project as a REFI-QDA ``.qdpx`` (zip). Validated before it is returned.

    With an actor, only a lead may export, and the export is recorded in the audit log.
    ``line_endings="lf"`` writes the normalised text instead (offsets then equal ours).
    """
    if actor is not None:
        services.require_role(actor, project, services.LEAD_ONLY)
    export = _load_export(project)
    root = _project_root(project)
    _gather_users(export)
    _write_users(root, export)
    notes = _note_targets(export)
    _write_codebook(root, export, notes.codes)
    variables = _write_variables(root, export)
    for source in export.sources:
        export.source_guids[source.pk] = export.guids.take(source.guid, f"source:{source.pk}")
    _write_cases(root, export, variables)
    files = _write_sources(root, export, variables, notes.sources, line_endings)
    _write_notes(root, export)
    _write_sets(root, export)
    if project.description:
        etree.SubElement(root, _q("Description")).text = xml_safe(project.description)
    for note in notes.project:
        etree.SubElement(root, _q("NoteRef"), targetGUID=note)
    qde = _xml(root)
    validate_project(qde)
    if actor is not None:
        record(
            actor,
            AuditAction.READ,
            obj=project,
            why=(
                f"narratives: exported .qdpx ({len(export.sources)} sources, "
                f"{export.selection_count} units)"
            ),
        )
    return _pack(qde, files)


def export_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc``. Validated before it is returned."""
    codes = list(Code.objects.filter(codebook=codebook).order_by("position", "pk"))
    if not codes:
        raise ValidationError(_("An empty codebook cannot be exported: add a code first."))
    root = etree.Element(_q("CodeBook", CODEBOOK_NS), nsmap={None: CODEBOOK_NS})
    codes_element = etree.SubElement(root, _q("Codes", CODEBOOK_NS))
    children = _children_of(codes)
    guids = _Guids()
    code_guids: dict[int, str] = {}
    for code in children.get(None, []):
        _code_element(codes_element, code, children, guids, code_guids, CODEBOOK_NS, None)
    data = _xml(root)
    validate_codebook(data)
    return data


# Import: reading -----------------------------------------------------------------------------


def _local(element: Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1]


def _kids(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if _local(child) == name:
            yield child


def _kid(element: Element, name: str) -> Element | None:
    return next(_kids(element, name), None)


def _grandkids(element: Element, container: str, name: str) -> Iterator[Element]:
    """``<container><name/>...</container>`` below ``element``, if the container is there."""
    holder = _kid(element, container)
    if holder is not None:
        yield from _kids(holder, name)


def _text_of(element: Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext())


@dataclass
class ParsedCode:
    guid: str
    name: str
    description: CodeDescription
    depth: int
    parent_guid: str | None
    note_refs: list[str] = field(default_factory=list)
    color: str = ""


@dataclass
class ParsedSelection:
    guid: str
    start: int  # normalised code points
    end: int
    condensed: str
    coder_guid: str | None
    code_guids: list[str]
    note_refs: list[str] = field(default_factory=list)


@dataclass
class ParsedSource:
    guid: str
    name: str
    text: str  # normalised
    had_bom: bool
    line_endings: LineEndings
    crlf_counting: Literal["two", "one"] | None
    selections: list[ParsedSelection]
    attributes: dict[str, str]
    note_refs: list[str] = field(default_factory=list)


@dataclass
class ParsedSet:
    guid: str
    name: str
    description: str
    members: list[str]


@dataclass(frozen=True)
class ParsedNote:
    name: str
    text: str
    author_guid: str


@dataclass
class ParsedProject:
    name: str
    origin: str
    description: str
    users: dict[str, tuple[str, str]]  # guid -> (name, id)
    codes: list[ParsedCode]
    sets: list[ParsedSet]
    sources: list[ParsedSource]
    notes: dict[str, ParsedNote]
    project_note_refs: list[str]
    messages: list[str]  # what was adjusted on the way in (quirks, skipped items)
    schema_errors: list[str]


def _zip_entries(archive: zipfile.ZipFile) -> dict[str, str]:
    """Entry names by their lower-case form (NVivo writes ``Sources/``, the spec ``sources/``)."""
    if sum(info.file_size for info in archive.infolist()) > MAX_IMPORT_UNPACKED:
        raise ValidationError(_("This file is too large to import."))
    return {info.filename.lower(): info.filename for info in archive.infolist()}


def _decode_source(data: bytes) -> tuple[str, bool]:
    """Source file bytes as text, with whether a byte-order mark was there (not counted)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), True
    had_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), had_bom
    except UnicodeDecodeError:
        raise ValidationError(_("A source file in this project is not UTF-8 text.")) from None


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHORT_COLOR = re.compile(r"^#[0-9a-fA-F]{3}$")


def _color(value: str | None) -> str:
    """A REFI-QDA colour (``#rrggbb`` or ``#rgb``) as ``#rrggbb``; anything else as none."""
    value = (value or "").strip()
    if _SHORT_COLOR.match(value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower() if _COLOR.match(value) else ""


def _parse_codes(
    element: Element | None, depth: int, parent: str | None, into: list[ParsedCode]
) -> None:
    if element is None:
        return
    for code in _kids(element, "Code"):
        guid = code.get("guid", "")
        into.append(
            ParsedCode(
                guid=guid,
                name=code.get("name", "") or guid,
                description=parse_code_description(_text_of(_kid(code, "Description"))),
                depth=depth,
                parent_guid=parent,
                note_refs=_note_refs(code),
                color=_color(code.get("color")),
            )
        )
        _parse_codes(code, depth + 1, guid, into)


def _note_refs(element: Element) -> list[str]:
    return [n.get("targetGUID", "") for n in _kids(element, "NoteRef")]


def _value_of(holder: Element) -> str | None:
    for child in holder:
        if _local(child).endswith("Value"):
            return _text_of(child).strip()
    return None


def _decide_counting(
    raw: str,
    normalised: str,
    endings: LineEndings,
    positions: list[int],
    origin: str,
    forced: CrlfCounting,
) -> Literal["two", "one"] | None:
    if "\r\n" not in raw:
        return None
    if forced != "auto":
        return forced
    if any(p > len(normalised) for p in positions):
        return "two"
    if any(endings.splits_a_pair(p) for p in positions):
        return "one"
    if "atlas" in origin.lower():
        return "one"
    return "two"


def _normalised_offset(
    offset: int, counting: Literal["two", "one"] | None, endings: LineEndings
) -> int:
    """An offset from the file as an offset into our normalised text.

    Counted the spec's way (CRLF = 2), it goes through the offset map; counted ATLAS.ti's way
    (CRLF = 1), or in a file without CRLF, it already is one (a lone CR or LF is one code point
    either way, and a byte-order mark is never counted).
    """
    return endings.from_original(offset) if counting == "two" else offset


@dataclass
class _Reading:
    """What reading one ``.qdpx`` needs as it goes: the archive, its entries, the file's quirks."""

    archive: zipfile.ZipFile
    entries: dict[str, str]
    origin: str
    crlf_counting: CrlfCounting
    variables: dict[str, str] = field(default_factory=dict)  # guid -> name
    messages: list[str] = field(default_factory=list)
    folders: set[str] = field(default_factory=set)

    def attributes_of(self, element: Element) -> dict[str, str]:
        found: dict[str, str] = {}
        for holder in _kids(element, "VariableValue"):
            ref = _kid(holder, "VariableRef")
            value = _value_of(holder)
            name = self.variables.get(ref.get("targetGUID", "") if ref is not None else "", "")
            if name and value is not None:
                found[name] = value
        return found


def _unreadable_source(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The text of the source %(name)s is not inside this file, so the project cannot be "
            "imported whole. Nothing was imported."
        )
        % {"name": name[:200]}
    )


def _source_text(reading: _Reading, element: Element, name: str) -> tuple[str, bool]:
    """The raw text of a ``TextSource`` and whether it had a byte-order mark.

    Text the file does not carry (a missing entry, a path outside the archive, a file on the
    exporter's disk) makes the whole import fail: all or nothing.
    """
    path = element.get("plainTextPath", "")
    inline = _kid(element, "PlainTextContent")
    if path.startswith("internal://"):
        wanted = "sources/" + path[len("internal://") :]
        actual = reading.entries.get(wanted.lower())
        if actual is None or ".." in wanted.split("/") or "\\" in wanted:
            raise _unreadable_source(name)
        reading.folders.add(actual.split("/", 1)[0])
        return _decode_source(reading.archive.read(actual))
    if inline is not None:
        raw = _text_of(inline)
        return (raw[1:], True) if raw.startswith("\ufeff") else (raw, False)
    raise _unreadable_source(name)


def _positions(reading: _Reading, element: Element, name: str) -> list[tuple[Element, int, int]]:
    found: list[tuple[Element, int, int]] = []
    for selection in _kids(element, "PlainTextSelection"):
        try:
            start = int(selection.get("startPosition", ""))
            end = int(selection.get("endPosition", ""))
        except ValueError:
            reading.messages.append(f"source {name}: a selection without positions; skipped")
            continue
        found.append((selection, start, end))
    return found


def _code_refs(element: Element) -> list[str]:
    return [
        ref.get("targetGUID", "")
        for coding in _kids(element, "Coding")
        for ref in _kids(coding, "CodeRef")
    ]


def _read_selections(
    reading: _Reading,
    element: Element,
    found: list[tuple[Element, int, int]],
    text: str,
    endings: LineEndings,
    counting: Literal["two", "one"] | None,
) -> list[ParsedSelection]:
    name = element.get("name", "") or element.get("guid", "")
    parsed: list[ParsedSelection] = []
    for selection, start, end in found:
        ours_start = _normalised_offset(start, counting, endings)
        ours_end = _normalised_offset(end, counting, endings)
        if not 0 <= ours_start < ours_end <= len(text):
            reading.messages.append(
                f"source {name}: selection [{start}, {end}) is outside the text; skipped"
            )
            continue
        parsed.append(
            ParsedSelection(
                guid=selection.get("guid", "") or str(uuid.uuid4()),
                start=ours_start,
                end=ours_end,
                condensed=_text_of(_kid(selection, "Description")),
                coder_guid=selection.get("creatingUser"),
                code_guids=_code_refs(selection),
                note_refs=_note_refs(selection),
            )
        )
    whole = _code_refs(element)
    if whole and text:
        first = _kid(element, "Coding")
        coder = first.get("creatingUser") if first is not None else None
        parsed.append(ParsedSelection(str(uuid.uuid4()), 0, len(text), "", coder, whole))
        reading.messages.append(f"source {name}: codes on the whole source became one unit")
    return parsed


def _read_source(reading: _Reading, element: Element) -> ParsedSource:
    guid = element.get("guid", "")
    name = element.get("name", "") or guid
    raw, had_bom = _source_text(reading, element, name)
    normalised = normalise(raw)
    endings = normalised.line_endings
    found = _positions(reading, element, name)
    positions = [p for _selection, start, end in found for p in (start, end)]
    counting = _decide_counting(
        raw, normalised.text, endings, positions, reading.origin, reading.crlf_counting
    )
    if counting == "one":
        reading.messages.append(f"source {name}: CRLF counted as one character (ATLAS.ti)")
    if had_bom:
        reading.messages.append(f"source {name}: byte-order mark removed, not counted")
    selections = _read_selections(reading, element, found, normalised.text, endings, counting)
    uncoded = sum(1 for s in selections if not s.code_guids)
    if uncoded:
        reading.messages.append(f"source {name}: {uncoded} selection(s) without codes kept")
    return ParsedSource(
        guid=guid,
        name=name,
        text=normalised.text,
        had_bom=had_bom,
        line_endings=endings,
        crlf_counting=counting,
        selections=selections,
        attributes=reading.attributes_of(element),
        note_refs=_note_refs(element),
    )


def _read_sources(reading: _Reading, root: Element) -> list[ParsedSource]:
    sources: list[ParsedSource] = []
    sources_element = _kid(root, "Sources")
    for element in list(sources_element) if sources_element is not None else []:
        kind = _local(element)
        if kind == "TextSource":
            sources.append(_read_source(reading, element))
        elif kind:
            reading.messages.append(f"skipped a {kind} (only text sources are imported)")
    if "Sources" in reading.folders:
        reading.messages.append(
            "source files were in Sources/ (NVivo); read without regard to case"
        )
    return sources


def _apply_cases(reading: _Reading, root: Element, sources: list[ParsedSource]) -> None:
    """Cases: each names its sources, which take its name and its variable values."""
    by_guid = {source.guid: source for source in sources}
    for case in _grandkids(root, "Cases", "Case"):
        values = reading.attributes_of(case)
        name = case.get("name", "") or values.get(CASE_VARIABLE, "")
        for ref in _kids(case, "SourceRef"):
            target = by_guid.get(ref.get("targetGUID", ""))
            if target is None:
                continue
            for key, value in values.items():
                target.attributes.setdefault(key, value)
            if name:
                target.attributes.setdefault(CASE_VARIABLE, name)


def _read_notes(reading: _Reading, root: Element) -> dict[str, ParsedNote]:
    notes: dict[str, ParsedNote] = {}
    for note in _grandkids(root, "Notes", "Note"):
        content = _text_of(_kid(note, "PlainTextContent"))
        path = note.get("plainTextPath", "")
        if not content and path.startswith("internal://"):
            actual = reading.entries.get(("sources/" + path[len("internal://") :]).lower())
            if actual is not None:
                content = normalise(_decode_source(reading.archive.read(actual))[0]).text
        notes[note.get("guid", "")] = ParsedNote(
            note.get("name", ""), content, note.get("creatingUser", "")
        )
    return notes


def _read_sets(root: Element) -> list[ParsedSet]:
    return [
        ParsedSet(
            guid=item.get("guid", ""),
            name=item.get("name", ""),
            description=_text_of(_kid(item, "Description")),
            members=[m.get("targetGUID", "") for m in _kids(item, "MemberCode")],
        )
        for item in _grandkids(root, "Sets", "Set")
    ]


def _read_qde(archive: zipfile.ZipFile, entries: dict[str, str]) -> tuple[Element, list[str]]:
    """The parsed ``project.qde`` and why it does not validate (empty if it does)."""
    qde_name = entries.get("project.qde") or next(
        (name for lower, name in entries.items() if lower.endswith(".qde")), None
    )
    if qde_name is None:
        raise ValidationError(_("This .qdpx holds no project.qde."))
    qde = archive.read(qde_name)
    try:
        root = parse_untrusted(qde)
    except (etree.XMLSyntaxError, ValueError):
        raise ValidationError(_("The project.qde in this file is not readable XML.")) from None
    return root, project_errors(qde)


def read_qdpx(data: bytes, *, crlf_counting: CrlfCounting = "auto") -> ParsedProject:
    """Parse a ``.qdpx`` without touching the database. Offsets come out normalised.

    A text source whose text the file does not hold refuses the whole file (all or nothing).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(_("This is not a REFI-QDA project file (.qdpx).")) from None
    with archive:
        entries = _zip_entries(archive)
        root, schema_errors = _read_qde(archive, entries)
        reading = _Reading(archive, entries, root.get("origin", ""), crlf_counting)
        if schema_errors:
            reading.messages.append(f"project.qde does not validate: {schema_errors[0]}")
        users = {
            user.get("guid", ""): (user.get("name", ""), user.get("id", ""))
            for user in _grandkids(root, "Users", "User")
        }
        codes: list[ParsedCode] = []
        codebook = _kid(root, "CodeBook")
        _parse_codes(_kid(codebook, "Codes") if codebook is not None else None, 0, None, codes)
        reading.variables = {
            variable.get("guid", ""): variable.get("name", "")
            for variable in _grandkids(root, "Variables", "Variable")
        }
        sources = _read_sources(reading, root)
        _apply_cases(reading, root, sources)
        notes = _read_notes(reading, root)
    return ParsedProject(
        name=root.get("name", "") or "Imported project",
        origin=reading.origin,
        description=_text_of(_kid(root, "Description")),
        users=users,
        codes=codes,
        sets=_read_sets(root),
        sources=sources,
        notes=notes,
        project_note_refs=_note_refs(root),
        messages=reading.messages,
        schema_errors=schema_errors,
    )


# Import: saving ------------------------------------------------------------------------------


def _uuid(value: str | None, fallback: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"alongside:{fallback}:{value}")


def _our_user(guid: str, users: dict[str, tuple[str, str]]) -> User | None:
    """The user an exported GUID stands for, only if this installation exported it."""
    _name, user_id = users.get(guid, ("", ""))
    if not user_id.startswith(USER_ID_PREFIX):
        return None
    try:
        pk = int(user_id[len(USER_ID_PREFIX) :])
    except ValueError:
        return None
    if str(services.user_guid(pk)) != guid:
        return None
    return User.objects.filter(pk=pk).first()


def _codebook_groups(parsed: ParsedProject) -> list[tuple[str, str, str, list[ParsedCode]]]:
    """(guid, name, origin, codes) per codebook: our Sets if the file is ours, else one."""
    groups: list[tuple[str, str, str, list[ParsedCode]]] = []
    placed: set[str] = set()
    if parsed.origin.startswith(ORIGIN):
        by_guid = {code.guid: code for code in parsed.codes}
        for item in parsed.sets:
            if not item.description.startswith(SET_MARKER):
                continue
            origin = item.description[len(SET_MARKER) :].strip()
            if origin not in CodebookOrigin.values:
                origin = CodebookOrigin.IMPORTED
            members = set(item.members) - placed
            codes = [code for code in parsed.codes if code.guid in members and code.guid in by_guid]
            placed.update(code.guid for code in codes)
            groups.append((item.guid, item.name, origin, codes))
    rest = [code for code in parsed.codes if code.guid not in placed]
    if rest:
        groups.append(("", _("Imported codebook"), CodebookOrigin.IMPORTED, rest))
    return groups


def _level(code: ParsedCode, parent: Code | None, depth: int) -> str:
    wanted = code.description.level or _LEVELS[min(depth, len(_LEVELS) - 1)]
    if parent is not None and LEVEL_ORDER[wanted] <= LEVEL_ORDER[parent.level]:
        # Other tools nest deeper than four levels; keep the shape, never above the parent.
        wanted = _LEVELS[min(LEVEL_ORDER[parent.level] + 1, len(_LEVELS) - 1)]
    return wanted


@dataclass(frozen=True)
class ImportResult:
    project: NarrativeProject
    messages: list[str]  # what was adjusted on the way in (quirks, skipped items)
    sources: int
    selections: int
    codings: int


def _create_code(
    codebook: Codebook,
    parsed_code: ParsedCode,
    parent: Code | None,
    depth: int,
    position: int,
    guid: uuid.UUID,
) -> Code:
    return Code.objects.create(
        codebook=codebook,
        parent=parent,
        level=_level(parsed_code, parent, depth),
        name=xml_safe(parsed_code.name)[:200],
        definition=xml_safe(parsed_code.description.definition),
        examples=[xml_safe(e) for e in parsed_code.description.examples],
        concept_code=parsed_code.description.concept_code,
        position=position,
        guid=guid,
        color=parsed_code.color,
    )


def _create_codebooks(project: NarrativeProject, parsed: ParsedProject) -> dict[str, Code]:
    """The file's codes in their codebooks (parents come before children in document order)."""
    code_by_guid: dict[str, Code] = {}
    for group_guid, group_name, origin, members in _codebook_groups(parsed):
        codebook = Codebook.objects.create(
            project=project,
            name=xml_safe(group_name)[:200] or _("Imported codebook"),
            origin=origin,
            guid=_uuid(group_guid, "codebook") if group_guid else uuid.uuid4(),
        )
        member_guids = {code.guid for code in members}
        positions: dict[str | None, int] = defaultdict(int)
        depth_of: dict[str, int] = {}
        for parsed_code in members:
            parent_guid = (
                parsed_code.parent_guid if parsed_code.parent_guid in member_guids else None
            )
            parent = code_by_guid.get(parent_guid) if parent_guid else None
            depth = depth_of[parent_guid] + 1 if parent_guid in depth_of else 0
            depth_of[parsed_code.guid] = depth
            guid = _uuid(parsed_code.guid, "code")
            if parsed_code.guid in code_by_guid:
                parsed.messages.append(f"code {parsed_code.name}: repeated GUID, given a new one")
                guid = uuid.uuid4()
            code = _create_code(codebook, parsed_code, parent, depth, positions[parent_guid], guid)
            code_by_guid.setdefault(parsed_code.guid, code)
            positions[parent_guid] += 1
    return code_by_guid


@dataclass(frozen=True)
class _Coder:
    user: User | None
    guid: uuid.UUID
    name: str
    is_consensus: bool = False


class _Coders:
    """Who made each selection: our user (only for GUIDs this installation exported), a coder
    known by GUID and name, or a consensus user (``CONSENSUS_ID``)."""

    def __init__(self, project: NarrativeProject, users: dict[str, tuple[str, str]]) -> None:
        self.project = project
        self.users = users
        self.known: dict[str, _Coder] = {}

    def of(self, guid: str | None) -> _Coder:
        key = guid or ""
        if key not in self.known:
            self.known[key] = self._find(key)
        return self.known[key]

    def _find(self, key: str) -> _Coder:
        if not key:
            return _Coder(None, uuid.uuid5(self.project.guid, "unknown-coder"), _("Unknown coder"))
        name, user_id = self.users.get(key, ("", ""))
        if user_id == CONSENSUS_ID or user_id.startswith(CONSENSUS_ID + ":"):
            return self._consensus(key, name, user_id)
        ours = _our_user(key, self.users)
        if ours is not None:
            return _Coder(ours, services.user_guid(ours.pk), ours.shown_name[:150])
        return _Coder(None, _uuid(key, "coder"), name[:150])

    def _consensus(self, key: str, name: str, user_id: str) -> _Coder:
        """The consensus user of one of our users maps back to that user's GUID; else its own."""
        _prefix, _sep, number = user_id.partition(CONSENSUS_ID + ":")
        if number.isdigit():
            coder_guid = services.user_guid(int(number))
            if str(consensus_user_guid(coder_guid)) == key:
                user = User.objects.filter(pk=int(number)).first()
                if user is not None:
                    return _Coder(user, coder_guid, user.shown_name[:150], True)
        return _Coder(None, _uuid(key, "coder"), name[:150], True)


def _create_sources(
    project: NarrativeProject, parsed: ParsedProject, actor: Actor, user: User, purpose: str
) -> list[Source]:
    sources: list[Source] = []
    seen: set[uuid.UUID] = set()
    for item in parsed.sources:
        kind = item.attributes.pop(KIND_VARIABLE, SourceKind.TRANSCRIPT)
        guid = _uuid(item.guid, "source")
        if guid in seen:
            guid = uuid.uuid4()
        seen.add(guid)
        sources.append(
            Source(
                project=project,
                guid=guid,
                name=xml_safe(item.name)[:255],
                kind=kind if kind in SourceKind.values else SourceKind.TRANSCRIPT,
                text=item.text,
                char_count=len(item.text),
                had_bom=item.had_bom,
                newline_style=item.line_endings.style,
                newline_exceptions=item.line_endings.exceptions_json(),
                attributes={k: xml_safe(v) for k, v in item.attributes.items()},
                consent_improvement=purpose == Purpose.IMPROVEMENT,
                consent_research=purpose == Purpose.RESEARCH,
                submitted_by=user,
                submitted_role=actor.role,
            )
        )
    Source.objects.bulk_create(sources, batch_size=500)
    return sources


@dataclass
class _Saved:
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    selection_notes: list[tuple[Selection, list[str]]] = field(default_factory=list)


def _create_selections(
    sources: list[Source], parsed: ParsedProject, coders: _Coders, code_by_guid: dict[str, Code]
) -> _Saved:
    saved = _Saved()
    wanted_codes: list[list[str]] = []
    for source, item in zip(sources, parsed.sources, strict=True):
        seen: set[uuid.UUID] = set()
        for parsed_selection in item.selections:
            coder = coders.of(parsed_selection.coder_guid)
            guid = _uuid(parsed_selection.guid, "selection")
            if guid in seen:
                guid = uuid.uuid4()
            seen.add(guid)
            selection = Selection(
                source=source,
                guid=guid,
                start=parsed_selection.start,
                end=parsed_selection.end,
                condensed=xml_safe(parsed_selection.condensed),
                coder=coder.user,
                coder_guid=coder.guid,
                coder_name=coder.name,
                is_consensus=coder.is_consensus,
            )
            saved.selections.append(selection)
            wanted_codes.append(parsed_selection.code_guids)
            if parsed_selection.note_refs:
                saved.selection_notes.append((selection, parsed_selection.note_refs))
    Selection.objects.bulk_create(saved.selections, batch_size=1000)
    missing = 0
    for selection, code_guids in zip(saved.selections, wanted_codes, strict=True):
        for code_guid in dict.fromkeys(code_guids):
            target = code_by_guid.get(code_guid)
            if target is None:
                missing += 1
            else:
                saved.codings.append(Coding(selection=selection, code=target))
    Coding.objects.bulk_create(saved.codings, batch_size=2000)
    if missing:
        parsed.messages.append(f"{missing} coding(s) named codes the file does not define")
    return saved


class _Memos:
    """Notes become memos on what refers to them; each keeps its author, as a user or a name."""

    def __init__(self, project: NarrativeProject, parsed: ParsedProject) -> None:
        self.project = project
        self.parsed = parsed
        self.memos: list[Memo] = []
        self.attached: set[str] = set()
        self.authors: dict[str, tuple[User | None, str]] = {}

    def author(self, guid: str) -> tuple[User | None, str]:
        if guid not in self.authors:
            ours = _our_user(guid, self.parsed.users) if guid else None
            name = self.parsed.users.get(guid, ("", ""))[0]
            self.authors[guid] = (ours, "" if ours is not None else xml_safe(name)[:150])
        return self.authors[guid]

    def add(self, note_guid: str, **target: Any) -> None:
        note = self.parsed.notes.get(note_guid)
        if note is None or not note.text.strip():
            return
        self.attached.add(note_guid)
        author, author_name = self.author(note.author_guid)
        self.memos.append(
            Memo(
                project=self.project,
                text=xml_safe(note.text),
                author=author,
                author_name=author_name,
                guid=uuid.uuid4(),
                **target,
            )
        )


def _create_memos(
    project: NarrativeProject,
    parsed: ParsedProject,
    code_by_guid: dict[str, Code],
    sources: list[Source],
    saved: _Saved,
) -> int:
    memos = _Memos(project, parsed)
    source_by_guid = {item.guid: s for s, item in zip(sources, parsed.sources, strict=True)}
    for parsed_code in parsed.codes:
        code = code_by_guid.get(parsed_code.guid)
        for note_guid in parsed_code.note_refs:
            memos.add(note_guid, target=MemoTarget.CODE, code=code)
    for item in parsed.sources:
        for note_guid in item.note_refs:
            memos.add(note_guid, target=MemoTarget.SOURCE, source=source_by_guid[item.guid])
    for selection, note_refs in saved.selection_notes:
        for note_guid in note_refs:
            memos.add(note_guid, target=MemoTarget.SOURCE, source=selection.source)
    for note_guid in parsed.project_note_refs:
        memos.add(note_guid, target=MemoTarget.PROJECT)
    for note_guid in parsed.notes:
        if note_guid not in memos.attached:
            memos.add(note_guid, target=MemoTarget.PROJECT)
    Memo.objects.bulk_create(memos.memos)
    return len(memos.memos)


@transaction.atomic
def import_qdpx_report(
    data: bytes,
    *,
    actor: Actor,
    purpose: str = Purpose.RESEARCH,
    name: str = "",
    crlf_counting: CrlfCounting = "auto",
) -> ImportResult:
    """A new project from a ``.qdpx``; the importing analyst is its lead. All or nothing.

    The importer states the sources' consent by choosing the project's ``purpose``: every source
    is recorded with consent for that purpose, given by the importer. Coders and memo authors
    map back to users of this installation only for GUIDs it exported; others are kept by GUID
    and name. Consensus units come back as consensus.
    """
    parsed = read_qdpx(data, crlf_counting=crlf_counting)
    user = actor.user
    if user is None:
        raise ValidationError(_("Importing needs a signed-in analyst."))
    project = services.create_project(
        actor,
        name=xml_safe(name or parsed.name).strip()[:200] or _("Imported project"),
        purpose=purpose,
        description=xml_safe(parsed.description)[: services.MAX_MEMO],
    )
    code_by_guid = _create_codebooks(project, parsed)
    sources = _create_sources(project, parsed, actor, user, purpose)
    saved = _create_selections(sources, parsed, _Coders(project, parsed.users), code_by_guid)
    memo_count = _create_memos(project, parsed, code_by_guid, sources, saved)
    summary = (
        f"narratives: imported .qdpx ({len(sources)} sources, {len(saved.selections)} units, "
        f"{len(saved.codings)} codings, {memo_count} memos)"
    )
    if parsed.messages:
        summary += "; " + "; ".join(parsed.messages[:20])
    record(actor, AuditAction.CREATE, obj=project, why=summary)
    return ImportResult(
        project, parsed.messages, len(sources), len(saved.selections), len(saved.codings)
    )


def import_qdpx(
    data: bytes,
    *,
    actor: Actor,
    purpose: str = Purpose.RESEARCH,
    name: str = "",
    crlf_counting: CrlfCounting = "auto",
) -> NarrativeProject:
    """A new project from a ``.qdpx`` (see ``import_qdpx_report`` for what was adjusted)."""
    return import_qdpx_report(
        data, actor=actor, purpose=purpose, name=name, crlf_counting=crlf_counting
    ).project


def read_qdc(data: bytes) -> tuple[list[ParsedCode], list[str]]:
    """Parse a ``.qdc`` (any namespace). Returns the codes in document order and messages."""
    try:
        root = parse_untrusted(data)
    except (etree.XMLSyntaxError, ValueError):
        raise ValidationError(_("This is not a readable codebook file (.qdc).")) from None
    if _local(root) != "CodeBook":
        raise ValidationError(_("This is not a REFI-QDA codebook (.qdc)."))
    codes: list[ParsedCode] = []
    _parse_codes(_kid(root, "Codes"), 0, None, codes)
    messages: list[str] = []
    if root.nsmap.get(None) != CODEBOOK_NS:
        messages.append("the codebook uses another namespace; read by element names")
    return codes, messages


@transaction.atomic
def import_qdc(data: bytes, *, actor: Actor, project: NarrativeProject, name: str = "") -> Codebook:
    """A codebook from a ``.qdc`` into a project (leads and coders)."""
    services.require_role(actor, project, services.WORKING_ROLES)
    codes, messages = read_qdc(data)
    codebook = Codebook.objects.create(
        project=project,
        name=(name or _("Imported codebook"))[:200],
        origin=CodebookOrigin.IMPORTED,
    )
    by_guid: dict[str, Code] = {}
    depth_of: dict[str, int] = {}
    positions: dict[str | None, int] = defaultdict(int)
    for parsed_code in codes:
        parent = by_guid.get(parsed_code.parent_guid or "")
        depth = depth_of.get(parsed_code.parent_guid or "", -1) + 1
        depth_of[parsed_code.guid] = depth
        guid = _uuid(parsed_code.guid, "code")
        if parsed_code.guid in by_guid:
            guid = uuid.uuid4()
        position = positions[parsed_code.parent_guid]
        code = _create_code(codebook, parsed_code, parent, depth, position, guid)
        positions[parsed_code.parent_guid] += 1
        by_guid.setdefault(parsed_code.guid, code)
    why = f"narratives: imported .qdc ({len(codes)} codes)"
    if messages:
        why += "; " + "; ".join(messages)
    record(actor, AuditAction.CREATE, obj=codebook, why=why)
    return codebook
