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

What an import cannot keep: memos become the importer's (REFI-QDA notes name no author we can
map), notes on a single selection become memos on its source, and sources other than text
(PDF, pictures, audio, video) are skipped. ``ImportResult.messages`` lists each adjustment, and
the audit event of the import repeats them.
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
    guids = _Guids()
    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS})
    root.set("name", xml_safe(project.name))
    root.set("origin", ORIGIN)
    root.set("creationDateTime", _when(project.created_at))
    root.set("creatingUserGUID", str(services.user_guid(project.created_by_id)))

    sources = list(services.usable_sources(project).order_by("pk"))
    # Subqueries rather than a list of ids: a project may hold thousands of sources.
    source_ids = services.usable_sources(project).values("pk")
    selections = list(
        Selection.objects.filter(source_id__in=source_ids)
        .order_by("source_id", "start", "end", "pk")
        .values_list(
            "pk", "source_id", "guid", "start", "end", "condensed", "coder_guid", "created_at"
        )
    )
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
        .order_by("created_at", "pk")
    )

    # Users: the creator, every coder, every memo author.
    users: dict[str, tuple[str, str]] = {}  # guid -> (name, id)
    creator = project.created_by
    users[str(services.user_guid(creator.pk))] = (
        creator.shown_name,
        f"{USER_ID_PREFIX}{creator.pk}",
    )
    coder_rows = (
        Selection.objects.filter(source_id__in=source_ids)
        .order_by()
        .values_list("coder_guid", "coder_name", "coder_id")
        .distinct()
    )
    for coder_guid, coder_name, coder_id in coder_rows:
        user_id = f"{USER_ID_PREFIX}{coder_id}" if coder_id is not None else ""
        users.setdefault(str(coder_guid), (coder_name, user_id))
    authors = User.objects.filter(pk__in={m.author_id for m in memos})
    for author in authors:
        users.setdefault(
            str(services.user_guid(author.pk)), (author.shown_name, f"{USER_ID_PREFIX}{author.pk}")
        )
    users_element = etree.SubElement(root, _q("Users"))
    for guid, (name, user_id) in users.items():
        guids.used.add(guid)
        user = etree.SubElement(users_element, _q("User"), guid=guid)
        if name:
            user.set("name", xml_safe(name))
        if user_id:
            user.set("id", user_id)

    # Notes get their GUIDs first, so codes and sources can refer to them.
    note_guids = {memo.pk: guids.take(memo.guid, f"memo:{memo.pk}") for memo in memos}
    code_notes: dict[int, list[str]] = defaultdict(list)
    source_notes: dict[int, list[str]] = defaultdict(list)
    project_notes: list[str] = []
    for memo in memos:
        if memo.target == MemoTarget.CODE and memo.code_id is not None:
            code_notes[memo.code_id].append(note_guids[memo.pk])
        elif memo.target == MemoTarget.SOURCE and memo.source_id is not None:
            source_notes[memo.source_id].append(note_guids[memo.pk])
        else:
            project_notes.append(note_guids[memo.pk])

    codebooks = list(Codebook.objects.filter(project=project).order_by("pk"))
    codes = list(Code.objects.filter(codebook__project=project).order_by("position", "pk"))
    code_guids: dict[int, str] = {}
    if codes:
        codes_element = etree.SubElement(etree.SubElement(root, _q("CodeBook")), _q("Codes"))
        for codebook in codebooks:
            children = _children_of(c for c in codes if c.codebook_id == codebook.pk)
            for code in children.get(None, []):
                _code_element(
                    codes_element, code, children, guids, code_guids, PROJECT_NS, code_notes
                )

    variables: dict[str, str] = {}  # variable name -> guid
    variable_types: dict[str, str] = {}
    for source in sources:
        for name in [KIND_VARIABLE, *sorted(source.attributes)]:
            if name not in variables:
                variables[name] = guids.take(
                    uuid.uuid5(project.guid, f"variable:{name}"), f"variable:{name}"
                )
                variable_types[name] = "Date" if name == DATE_VARIABLE else "Text"
    if variables:
        variables_element = etree.SubElement(root, _q("Variables"))
        for name, guid in variables.items():
            etree.SubElement(
                variables_element,
                _q("Variable"),
                guid=guid,
                name=name,
                typeOfVariable=variable_types[name],
            )

    files: dict[str, bytes] = {}
    if sources:
        sources_element = etree.SubElement(root, _q("Sources"))
        by_source: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in selections:
            by_source[row[1]].append(row)
        for source in sources:
            guid = guids.take(source.guid, f"source:{source.pk}")
            endings = source.line_endings if line_endings == "original" else LineEndings()
            text = endings.original_text() if line_endings == "original" else source.text
            files[f"sources/{guid}.txt"] = text.encode("utf-8")
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
            for pk, _sid, sel_guid, start, end, condensed, coder, created in by_source[source.pk]:
                selection = etree.SubElement(
                    element,
                    _q("PlainTextSelection"),
                    guid=guids.take(sel_guid, f"selection:{pk}"),
                    startPosition=str(endings.to_original(start)),
                    endPosition=str(endings.to_original(end)),
                    creatingUser=str(coder),
                    creationDateTime=_when(created),
                )
                if condensed:
                    etree.SubElement(selection, _q("Description")).text = xml_safe(condensed)
                for coding_guid, code_id in codings.get(pk, []):
                    coding = etree.SubElement(
                        selection,
                        _q("Coding"),
                        guid=guids.take(coding_guid, f"coding:{pk}:{code_id}"),
                        creatingUser=str(coder),
                    )
                    etree.SubElement(coding, _q("CodeRef"), targetGUID=code_guids[code_id])
            for note in source_notes.get(source.pk, []):
                etree.SubElement(element, _q("NoteRef"), targetGUID=note)
            values = {KIND_VARIABLE: source.kind, **source.attributes}
            for name in [KIND_VARIABLE, *sorted(source.attributes)]:
                value = str(values[name])
                if variable_types[name] == "Date":
                    checked = _date_value(value)
                    if checked is None:
                        continue
                    tag, value = "DateValue", checked
                else:
                    tag = "TextValue"
                holder = etree.SubElement(element, _q("VariableValue"))
                etree.SubElement(holder, _q("VariableRef"), targetGUID=variables[name])
                etree.SubElement(holder, _q(tag)).text = xml_safe(value)

    if memos:
        notes_element = etree.SubElement(root, _q("Notes"))
        for memo in memos:
            note = etree.SubElement(
                notes_element,
                _q("Note"),
                guid=note_guids[memo.pk],
                name=_memo_name(memo.text),
                creatingUser=str(services.user_guid(memo.author_id)),
                creationDateTime=_when(memo.created_at),
            )
            etree.SubElement(note, _q("PlainTextContent")).text = xml_safe(memo.text)

    if codebooks:
        sets_element = etree.SubElement(root, _q("Sets"))
        for codebook in codebooks:
            members = [c for c in codes if c.codebook_id == codebook.pk]
            element = etree.SubElement(
                sets_element,
                _q("Set"),
                guid=guids.take(codebook.guid, f"codebook:{codebook.pk}"),
                name=xml_safe(codebook.name),
            )
            etree.SubElement(element, _q("Description")).text = SET_MARKER + codebook.origin
            for code in members:
                etree.SubElement(element, _q("MemberCode"), targetGUID=code_guids[code.pk])

    if project.description:
        etree.SubElement(root, _q("Description")).text = xml_safe(project.description)
    for note in project_notes:
        etree.SubElement(root, _q("NoteRef"), targetGUID=note)

    qde = _xml(root)
    validate_project(qde)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, content in files.items():
            archive.writestr(name, content)
    if actor is not None:
        record(
            actor,
            AuditAction.READ,
            obj=project,
            why=f"narratives: exported .qdpx ({len(sources)} sources, {len(selections)} units)",
        )
    return out.getvalue()


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


@dataclass
class ParsedProject:
    name: str
    origin: str
    description: str
    users: dict[str, tuple[str, str]]  # guid -> (name, id)
    codes: list[ParsedCode]
    sets: list[ParsedSet]
    sources: list[ParsedSource]
    notes: dict[str, tuple[str, str]]  # guid -> (name, text)
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
                note_refs=[n.get("targetGUID", "") for n in _kids(code, "NoteRef")],
            )
        )
        _parse_codes(code, depth + 1, guid, into)


def _variable_value(holder: Element) -> str | None:
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


def read_qdpx(data: bytes, *, crlf_counting: CrlfCounting = "auto") -> ParsedProject:
    """Parse a ``.qdpx`` without touching the database. Offsets come out normalised."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(_("This is not a REFI-QDA project file (.qdpx).")) from None
    messages: list[str] = []
    with archive:
        entries = _zip_entries(archive)
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
        schema_errors = project_errors(qde)
        if schema_errors:
            messages.append(f"project.qde does not validate: {schema_errors[0]}")
        origin = root.get("origin", "")

        users: dict[str, tuple[str, str]] = {}
        for user in _grandkids(root, "Users", "User"):
            users[user.get("guid", "")] = (user.get("name", ""), user.get("id", ""))

        codes: list[ParsedCode] = []
        codebook = _kid(root, "CodeBook")
        _parse_codes(_kid(codebook, "Codes") if codebook is not None else None, 0, None, codes)

        variables: dict[str, str] = {}
        for variable in _grandkids(root, "Variables", "Variable"):
            variables[variable.get("guid", "")] = variable.get("name", "")

        def attributes_of(element: Element) -> dict[str, str]:
            found: dict[str, str] = {}
            for holder in _kids(element, "VariableValue"):
                ref = _kid(holder, "VariableRef")
                value = _variable_value(holder)
                name = variables.get(ref.get("targetGUID", "") if ref is not None else "", "")
                if name and value is not None:
                    found[name] = value
            return found

        sources: list[ParsedSource] = []
        used_folder_case: set[str] = set()
        sources_element = _kid(root, "Sources")
        for element in list(sources_element) if sources_element is not None else []:
            kind = _local(element)
            if kind != "TextSource":
                if kind:
                    messages.append(f"skipped a {kind} (only text sources are imported)")
                continue
            guid = element.get("guid", "")
            name = element.get("name", "") or guid
            path = element.get("plainTextPath", "")
            inline = _kid(element, "PlainTextContent")
            if path.startswith("internal://"):
                wanted = "sources/" + path[len("internal://") :]
                actual = entries.get(wanted.lower())
                if actual is None:
                    messages.append(f"source {name}: {wanted} is missing; skipped")
                    continue
                used_folder_case.add(actual.split("/", 1)[0])
                raw, had_bom = _decode_source(archive.read(actual))
            elif inline is not None:
                raw, had_bom = _text_of(inline), False
                if raw.startswith("\ufeff"):
                    raw, had_bom = raw[1:], True
            else:
                messages.append(f"source {name}: its text is outside the file; skipped")
                continue
            normalised = normalise(raw)
            endings = normalised.line_endings
            text = normalised.text
            raw_selections: list[tuple[Element, int, int]] = []
            positions: list[int] = []
            for selection in _kids(element, "PlainTextSelection"):
                try:
                    start = int(selection.get("startPosition", ""))
                    end = int(selection.get("endPosition", ""))
                except ValueError:
                    messages.append(f"source {name}: a selection without positions; skipped")
                    continue
                raw_selections.append((selection, start, end))
                positions.extend((start, end))
            counting = _decide_counting(raw, text, endings, positions, origin, crlf_counting)
            if counting == "one":
                messages.append(f"source {name}: CRLF counted as one character (ATLAS.ti)")
            if had_bom:
                messages.append(f"source {name}: byte-order mark removed, not counted")

            parsed: list[ParsedSelection] = []
            for selection, start, end in raw_selections:
                ours_start = _normalised_offset(start, counting, endings)
                ours_end = _normalised_offset(end, counting, endings)
                if not 0 <= ours_start < ours_end <= len(text):
                    messages.append(
                        f"source {name}: selection [{start}, {end}) is outside the text; skipped"
                    )
                    continue
                code_refs = [
                    ref.get("targetGUID", "")
                    for coding in _kids(selection, "Coding")
                    for ref in _kids(coding, "CodeRef")
                ]
                parsed.append(
                    ParsedSelection(
                        guid=selection.get("guid", "") or str(uuid.uuid4()),
                        start=ours_start,
                        end=ours_end,
                        condensed=_text_of(_kid(selection, "Description")),
                        coder_guid=selection.get("creatingUser"),
                        code_guids=code_refs,
                        note_refs=[n.get("targetGUID", "") for n in _kids(selection, "NoteRef")],
                    )
                )
            whole = [
                ref.get("targetGUID", "")
                for coding in _kids(element, "Coding")
                for ref in _kids(coding, "CodeRef")
            ]
            if whole and text:
                first = _kid(element, "Coding")
                coder = first.get("creatingUser") if first is not None else None
                parsed.append(ParsedSelection(str(uuid.uuid4()), 0, len(text), "", coder, whole))
                messages.append(f"source {name}: codes on the whole source became one unit")
            uncoded = sum(1 for s in parsed if not s.code_guids)
            if uncoded:
                messages.append(f"source {name}: {uncoded} selection(s) without codes kept")
            sources.append(
                ParsedSource(
                    guid=guid,
                    name=name,
                    text=text,
                    had_bom=had_bom,
                    line_endings=endings,
                    crlf_counting=counting,
                    selections=parsed,
                    attributes=attributes_of(element),
                    note_refs=[n.get("targetGUID", "") for n in _kids(element, "NoteRef")],
                )
            )
        if "Sources" in used_folder_case:
            messages.append("source files were in Sources/ (NVivo); read without regard to case")

        # Cases: variable values given to the sources a case names.
        by_guid = {source.guid: source for source in sources}
        for case in _grandkids(root, "Cases", "Case"):
            values = attributes_of(case)
            for ref in _kids(case, "SourceRef"):
                target = by_guid.get(ref.get("targetGUID", ""))
                if target is not None:
                    for key, value in values.items():
                        target.attributes.setdefault(key, value)

        notes: dict[str, tuple[str, str]] = {}
        for note in _grandkids(root, "Notes", "Note"):
            content = _text_of(_kid(note, "PlainTextContent"))
            path = note.get("plainTextPath", "")
            if not content and path.startswith("internal://"):
                actual = entries.get(("sources/" + path[len("internal://") :]).lower())
                if actual is not None:
                    content = normalise(_decode_source(archive.read(actual))[0]).text
            notes[note.get("guid", "")] = (note.get("name", ""), content)

        sets = [
            ParsedSet(
                guid=item.get("guid", ""),
                name=item.get("name", ""),
                description=_text_of(_kid(item, "Description")),
                members=[m.get("targetGUID", "") for m in _kids(item, "MemberCode")],
            )
            for item in _grandkids(root, "Sets", "Set")
        ]
    return ParsedProject(
        name=root.get("name", "") or "Imported project",
        origin=origin,
        description=_text_of(_kid(root, "Description")),
        users=users,
        codes=codes,
        sets=sets,
        sources=sources,
        notes=notes,
        project_note_refs=[n.get("targetGUID", "") for n in _kids(root, "NoteRef")],
        messages=messages,
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


@transaction.atomic
def import_qdpx_report(
    data: bytes,
    *,
    actor: Actor,
    purpose: str = Purpose.RESEARCH,
    name: str = "",
    crlf_counting: CrlfCounting = "auto",
) -> ImportResult:
    """A new project from a ``.qdpx``; the importing analyst is its lead.

    The importer states the sources' consent by choosing the project's ``purpose``: every source
    is recorded with consent for that purpose, given by the importer. Coders map back to users of
    this installation only for GUIDs it exported; others are kept by GUID and name.
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
        for parsed_code in members:  # parents come before children (document order)
            parent_guid = parsed_code.parent_guid
            if parent_guid not in member_guids:
                parent_guid = None
            parent = code_by_guid.get(parent_guid) if parent_guid else None
            depth = depth_of[parent_guid] + 1 if parent_guid in depth_of else 0
            depth_of[parsed_code.guid] = depth
            guid = _uuid(parsed_code.guid, "code")
            if parsed_code.guid in code_by_guid:
                parsed.messages.append(f"code {parsed_code.name}: repeated GUID, given a new one")
                guid = uuid.uuid4()
            code = Code.objects.create(
                codebook=codebook,
                parent=parent,
                level=_level(parsed_code, parent, depth),
                name=xml_safe(parsed_code.name)[:200],
                definition=xml_safe(parsed_code.description.definition),
                examples=[xml_safe(e) for e in parsed_code.description.examples],
                concept_code=parsed_code.description.concept_code,
                position=positions[parent_guid],
                guid=guid,
            )
            positions[parent_guid] += 1
            code_by_guid.setdefault(parsed_code.guid, code)

    coders: dict[str, tuple[User | None, uuid.UUID, str]] = {}

    def coder_of(guid: str | None) -> tuple[User | None, uuid.UUID, str]:
        key = guid or ""
        if key not in coders:
            ours = _our_user(key, parsed.users) if key else None
            if ours is not None:
                coders[key] = (ours, services.user_guid(ours.pk), ours.shown_name[:150])
            elif key:
                coders[key] = (None, _uuid(key, "coder"), parsed.users.get(key, ("", ""))[0][:150])
            else:
                coders[key] = (
                    None,
                    uuid.uuid5(project.guid, "unknown-coder"),
                    _("Unknown coder"),
                )
        return coders[key]

    sources: list[Source] = []
    for item in parsed.sources:
        kind = item.attributes.pop(KIND_VARIABLE, SourceKind.TRANSCRIPT)
        sources.append(
            Source(
                project=project,
                guid=_uuid(item.guid, "source"),
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
    seen_sources: set[uuid.UUID] = set()
    for source in sources:
        if source.guid in seen_sources:
            source.guid = uuid.uuid4()
        seen_sources.add(source.guid)
    Source.objects.bulk_create(sources, batch_size=500)

    selections: list[Selection] = []
    selection_codes: list[list[str]] = []
    selection_notes: list[tuple[Selection, list[str]]] = []
    for source, item in zip(sources, parsed.sources, strict=True):
        seen: set[uuid.UUID] = set()
        for parsed_selection in item.selections:
            coder, coder_guid, coder_name = coder_of(parsed_selection.coder_guid)
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
                coder=coder,
                coder_guid=coder_guid,
                coder_name=coder_name,
            )
            selections.append(selection)
            selection_codes.append(parsed_selection.code_guids)
            if parsed_selection.note_refs:
                selection_notes.append((selection, parsed_selection.note_refs))
    Selection.objects.bulk_create(selections, batch_size=1000)
    codings: list[Coding] = []
    missing = 0
    for selection, code_guids in zip(selections, selection_codes, strict=True):
        for code_guid in dict.fromkeys(code_guids):
            target = code_by_guid.get(code_guid)
            if target is None:
                missing += 1
                continue
            codings.append(Coding(selection=selection, code=target))
    Coding.objects.bulk_create(codings, batch_size=2000)
    if missing:
        parsed.messages.append(f"{missing} coding(s) named codes the file does not define")

    memos: list[Memo] = []
    attached: set[str] = set()
    source_by_guid = {
        item.guid: source for source, item in zip(sources, parsed.sources, strict=True)
    }

    def memo(note_guid: str, **target: Any) -> None:
        if note_guid not in parsed.notes:
            return
        text = xml_safe(parsed.notes[note_guid][1])
        if not text.strip():
            return
        attached.add(note_guid)
        memos.append(Memo(project=project, text=text, author=user, **target))

    for parsed_code in parsed.codes:
        for note_guid in parsed_code.note_refs:
            memo(note_guid, target=MemoTarget.CODE, code=code_by_guid.get(parsed_code.guid))
    for item in parsed.sources:
        for note_guid in item.note_refs:
            memo(note_guid, target=MemoTarget.SOURCE, source=source_by_guid[item.guid])
    for selection, note_refs in selection_notes:
        for note_guid in note_refs:
            memo(note_guid, target=MemoTarget.SOURCE, source=selection.source)
    for note_guid in parsed.project_note_refs:
        memo(note_guid, target=MemoTarget.PROJECT)
    for note_guid in parsed.notes:
        if note_guid not in attached:
            memo(note_guid, target=MemoTarget.PROJECT)
    for memo_object in memos:
        memo_object.guid = uuid.uuid4()
    Memo.objects.bulk_create(memos)

    summary = (
        f"narratives: imported .qdpx ({len(sources)} sources, {len(selections)} units, "
        f"{len(codings)} codings, {len(memos)} memos)"
    )
    if parsed.messages:
        summary += "; " + "; ".join(parsed.messages[:20])
    record(actor, AuditAction.CREATE, obj=project, why=summary)
    return ImportResult(project, parsed.messages, len(sources), len(selections), len(codings))


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
        code = Code.objects.create(
            codebook=codebook,
            parent=parent,
            level=_level(parsed_code, parent, depth),
            name=xml_safe(parsed_code.name)[:200],
            definition=xml_safe(parsed_code.description.definition),
            examples=[xml_safe(e) for e in parsed_code.description.examples],
            concept_code=parsed_code.description.concept_code,
            position=positions[parsed_code.parent_guid],
            guid=guid,
        )
        positions[parsed_code.parent_guid] += 1
        by_guid.setdefault(parsed_code.guid, code)
    why = f"narratives: imported .qdc ({len(codes)} codes)"
    if messages:
        why += "; " + "; ".join(messages)
    record(actor, AuditAction.CREATE, obj=codebook, why=why)
    return codebook
