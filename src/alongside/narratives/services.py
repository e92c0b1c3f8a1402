"""Every write to narratives: projects, codebooks, sources, coded units, memos. Validates, audits.

Rules that live here and nowhere else:

* a narrative comes with explicit consent (service improvement and/or research); withdrawing it
  takes the source out of every later analysis and export, which all read ``usable_sources``;
* an anonymous narrative hides its writer from the service, never from the audit log;
* only members of a project work in it: leads manage members (analysts of their own
  organisations), codebooks, uploads and consensus;
  coders upload, build codes and code; viewers only read;
* a span is code points into the normalised text, ``0 <= start < end <= len(text)``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import uuid
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.narratives import agreement
from alongside.narratives.models import (
    LEVEL_ORDER,
    MAX_NAME,
    AnalystRole,
    Code,
    Codebook,
    CodebookOrigin,
    Coding,
    CodingRound,
    Memo,
    MemoTarget,
    NarrativeProject,
    ProjectMember,
    Purpose,
    Selection,
    Source,
    SourceKind,
)
from alongside.narratives.text import (
    TextDecodeError,
    decode_utf8,
    has_unstorable,
    has_xml_unsafe,
    normalise,
)
from alongside.organisations.models import Role, StaffRole
from alongside.people.models import Person

MAX_SOURCE_CHARS = 2_000_000
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_MEMO = 20_000
CASE_ATTRIBUTES = ("speaker_role", "unit", "date", "case")

EVERY_ROLE: frozenset[str] = frozenset(AnalystRole.values)
# The staff roles whose holders may join a narratives project (analysts do research here).
# Staff roles whose holders a lead may add to a project; neither is a care role (no person data).
MEMBER_STAFF_ROLES: frozenset[str] = frozenset({Role.ANALYST, Role.RESEARCHER})
WORKING_ROLES: frozenset[str] = frozenset({AnalystRole.LEAD, AnalystRole.CODER})
LEAD_ONLY: frozenset[str] = frozenset({AnalystRole.LEAD})


# Who is who ----------------------------------------------------------------------------------


def user_guid(user_id: int) -> uuid.UUID:
    """A stable REFI-QDA GUID for one of our users.

    Keyed with the installation's secret, so another installation cannot produce it: an imported
    file maps a coder back to a user here only if this installation exported that GUID.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"alongside.narratives.coder:{user_id}".encode(),
        hashlib.sha256,
    ).digest()
    return uuid.UUID(bytes=digest[:16], version=4)


def role_in(project: NarrativeProject, user: User | None) -> str | None:
    if user is None:
        return None
    return (
        ProjectMember.objects.filter(project=project, user=user)
        .values_list("role", flat=True)
        .first()
    )


def require_role(actor: Actor, project: NarrativeProject, roles: Collection[str]) -> str:
    """The actor's analyst role in the project; PermissionDenied unless it is one of ``roles``."""
    role = role_in(project, actor.user)
    if role is None or role not in roles:
        raise PermissionDenied("not allowed in this narratives project")
    return role


def _person_id(user: User | None) -> int | None:
    if user is None:
        return None
    return Person.objects.filter(user=user).values_list("pk", flat=True).first()


def _audit(
    actor: Actor, action: AuditAction, obj: models.Model, why: str, person_id: int | None = None
) -> None:
    record(actor, action, obj=obj, why=why, person_id=person_id)


def _need_user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied("this needs a signed-in person")
    return actor.user


def _text(
    value: str, field: str, limit: int, *, required: bool = True, for_xml: bool = True
) -> str:
    """Keep the text verbatim, but refuse empty, oversized or unstorable input.

    Names, memos and condensed meanings travel inside XML when a project is exported, so they may
    not hold the control characters XML cannot carry. Source text travels as a plain file beside
    the XML and is only refused a NUL (which no database keeps).
    """
    if required and not value.strip():
        raise ValidationError({field: _("Please write something here.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("This is too long: at most %(limit)d characters.") % {"limit": limit}}
        )
    if has_xml_unsafe(value) if for_xml else has_unstorable(value):
        raise ValidationError({field: _("This text holds control characters it cannot keep.")})
    return value


# Which sources analyses may use --------------------------------------------------------------


def usable_sources(project: NarrativeProject) -> QuerySet[Source]:
    """The sources analyses and exports may use: not withdrawn, consented for the purpose.

    Every report, agreement figure and export starts from this query, so a withdrawal takes a
    source out of all of them at once.
    """
    sources = Source.objects.filter(project=project, withdrawn_at__isnull=True)
    if project.purpose == Purpose.RESEARCH:
        return sources.filter(consent_research=True)
    return sources.filter(consent_improvement=True)


def usable_selections(project: NarrativeProject) -> QuerySet[Selection]:
    return Selection.objects.filter(source__in=usable_sources(project))


# Projects and members ------------------------------------------------------------------------


@transaction.atomic
def create_project(
    actor: Actor,
    *,
    name: str,
    purpose: str,
    description: str = "",
    accepts_narratives: bool = False,
) -> NarrativeProject:
    """A new project; whoever creates it is its first lead."""
    user = _need_user(actor)
    project = NarrativeProject(
        name=_text(name, "name", MAX_NAME),
        description=_text(description, "description", MAX_MEMO, required=False),
        purpose=purpose,
        accepts_narratives=accepts_narratives,
        created_by=user,
    )
    project.full_clean()
    project.save()
    _audit(actor, AuditAction.CREATE, project, "narratives: project created")
    member = ProjectMember.objects.create(project=project, user=user, role=AnalystRole.LEAD)
    _audit(actor, AuditAction.CREATE, member, "narratives: creator is lead")
    return project


def eligible_members(lead: User) -> QuerySet[User]:
    """Who a lead may add to a project: staff with a current analyst role in an organisation
    where the lead works now. Persons, family and other staff never appear, and a lead learns
    nothing about accounts outside this list."""
    organisations = StaffRole.objects.current().filter(user=lead).values("unit__organisation")
    return (
        User.objects.filter(
            is_active=True,
            staff_roles__ended_on__isnull=True,
            staff_roles__role__in=MEMBER_STAFF_ROLES,
            staff_roles__unit__organisation__in=organisations,
        )
        .distinct()
        .order_by("display_name", "username", "pk")
    )


@transaction.atomic
def add_member(actor: Actor, project: NarrativeProject, user: User, role: str) -> ProjectMember:
    """Add a member (chosen from ``eligible_members``), or change a member's role. Leads only."""
    lead = _need_user(actor)
    require_role(actor, project, LEAD_ONLY)
    if role not in EVERY_ROLE:
        raise ValidationError({"role": _("Choose a role from the list.")})
    already = ProjectMember.objects.filter(project=project, user=user).exists()
    if not already and not eligible_members(lead).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Choose the new member from the list.")})
    member, created = ProjectMember.objects.get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created:
        if member.role == AnalystRole.LEAD and role != AnalystRole.LEAD:
            _keep_a_lead(project, member)
        member.role = role
        member.save(update_fields=["role"])
    _audit(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        member,
        f"narratives: member role {role}",
    )
    return member


def _keep_a_lead(project: NarrativeProject, leaving: ProjectMember) -> None:
    others = ProjectMember.objects.filter(project=project, role=AnalystRole.LEAD).exclude(
        pk=leaving.pk
    )
    if not others.exists():
        raise ValidationError(_("A project needs at least one lead analyst."))


@transaction.atomic
def remove_member(actor: Actor, member: ProjectMember) -> None:
    require_role(actor, member.project, LEAD_ONLY)
    if member.role == AnalystRole.LEAD:
        _keep_a_lead(member.project, member)
    _audit(actor, AuditAction.END, member, "narratives: member removed")
    member.delete()


# Coding rounds: blind coding ---------------------------------------------------------------


def current_round(project: NarrativeProject) -> CodingRound | None:
    return CodingRound.objects.filter(project=project).order_by("-number").first()


def round_is_open(project: NarrativeProject) -> bool:
    """Coding is blind until the lead closes the round (a project starts in an open round)."""
    latest = current_round(project)
    return latest is None or latest.closed_at is None


def sees_everyones_coding(project: NarrativeProject, role: str | None) -> bool:
    """The lead always does; other members only once the lead has closed the coding round."""
    if role is None:
        return False
    return role == AnalystRole.LEAD or not round_is_open(project)


@transaction.atomic
def close_round(actor: Actor, project: NarrativeProject) -> CodingRound:
    """The lead ends blind coding: every member may now compare everyone's coding."""
    user = _need_user(actor)
    require_role(actor, project, LEAD_ONLY)
    latest = current_round(project)
    if latest is None:
        latest = CodingRound.objects.create(project=project, number=1)
    if latest.closed_at is None:
        latest.closed_at = timezone.now()
        latest.closed_by = user
        latest.save(update_fields=["closed_at", "closed_by"])
        _audit(actor, AuditAction.END, latest, f"narratives: coding round {latest.number} closed")
    return latest


@transaction.atomic
def open_round(actor: Actor, project: NarrativeProject) -> CodingRound:
    """The lead starts a new blind round (after a closed one); an open round stays as it is."""
    require_role(actor, project, LEAD_ONLY)
    latest = current_round(project)
    if latest is None or latest.closed_at is None:
        return latest or CodingRound.objects.create(project=project, number=1)
    started = CodingRound.objects.create(project=project, number=latest.number + 1)
    _audit(actor, AuditAction.CREATE, started, f"narratives: coding round {started.number} opened")
    return started


# Codebooks -----------------------------------------------------------------------------------


def _codebook_writer(actor: Actor, codebook: Codebook) -> None:
    """Templates (no project) are written only by the platform; project codebooks by its team."""
    if codebook.project is None:
        if actor.user is not None:
            raise PermissionDenied("codebook templates are maintained by the platform")
        return
    require_role(actor, codebook.project, WORKING_ROLES)


@transaction.atomic
def create_codebook(
    actor: Actor,
    project: NarrativeProject | None,
    name: str,
    origin: str = CodebookOrigin.INDUCTIVE,
) -> Codebook:
    codebook = Codebook(project=project, name=_text(name, "name", MAX_NAME), origin=origin)
    _codebook_writer(actor, codebook)
    codebook.full_clean()
    codebook.save()
    _audit(actor, AuditAction.CREATE, codebook, f"narratives: codebook ({origin})")
    return codebook


def _check_level(level: str, parent: Code | None) -> None:
    if level not in LEVEL_ORDER:
        raise ValidationError({"level": _("Choose a level from the list.")})
    if parent is not None and LEVEL_ORDER[parent.level] >= LEVEL_ORDER[level]:
        raise ValidationError(
            {"level": _("A code sits below its parent: theme, subtheme, category, code.")}
        )


def _examples(examples: Iterable[str]) -> list[str]:
    kept = [_text(e, "examples", MAX_MEMO) for e in examples if e.strip()]
    return kept


@transaction.atomic
def add_code(
    actor: Actor,
    codebook: Codebook,
    *,
    name: str,
    level: str,
    parent: Code | None = None,
    definition: str = "",
    examples: Iterable[str] = (),
    concept_code: str = "",
) -> Code:
    _codebook_writer(actor, codebook)
    if parent is not None and parent.codebook_id != codebook.pk:
        raise ValidationError({"parent": _("The parent code belongs to another codebook.")})
    _check_level(level, parent)
    position = Code.objects.filter(codebook=codebook, parent=parent).count()
    code = Code(
        codebook=codebook,
        parent=parent,
        level=level,
        name=_text(name, "name", MAX_NAME),
        definition=_text(definition, "definition", MAX_MEMO, required=False),
        examples=_examples(examples),
        concept_code=concept_code,
        position=position,
    )
    code.full_clean()
    code.save()
    _audit(actor, AuditAction.CREATE, code, "narratives: code added")
    return code


@transaction.atomic
def update_code(
    actor: Actor, code: Code, *, name: str, definition: str, examples: Iterable[str]
) -> Code:
    _codebook_writer(actor, code.codebook)
    code.name = _text(name, "name", MAX_NAME)
    code.definition = _text(definition, "definition", MAX_MEMO, required=False)
    code.examples = _examples(examples)
    code.full_clean()
    code.save(update_fields=["name", "definition", "examples"])
    _audit(actor, AuditAction.UPDATE, code, "narratives: code changed")
    return code


@transaction.atomic
def move_code(actor: Actor, code: Code, parent: Code | None) -> Code:
    """Put a code under another (inductive coding groups codes into categories and themes)."""
    _codebook_writer(actor, code.codebook)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == code.pk:
            raise ValidationError({"parent": _("A code cannot sit below itself.")})
        ancestor = ancestor.parent
    if parent is not None and parent.codebook_id != code.codebook_id:
        raise ValidationError({"parent": _("The parent code belongs to another codebook.")})
    _check_level(code.level, parent)
    code.parent = parent
    code.position = Code.objects.filter(codebook_id=code.codebook_id, parent=parent).count()
    code.save(update_fields=["parent", "position"])
    _audit(actor, AuditAction.UPDATE, code, "narratives: code moved")
    return code


@transaction.atomic
def set_code_color(actor: Actor, code: Code, color: str) -> Code:
    """A code's colour (``#rrggbb``) for its stripes in the text, or none (empty)."""
    _codebook_writer(actor, code.codebook)
    code.color = color.strip().lower()
    code.full_clean()
    code.save(update_fields=["color"])
    _audit(actor, AuditAction.UPDATE, code, "narratives: code colour")
    return code


def _subtree(code: Code) -> list[int]:
    """The code and every code below it."""
    found = [code.pk]
    level = [code.pk]
    while level:
        level = list(Code.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found.extend(level)
    return found


@transaction.atomic
def merge_codes(actor: Actor, source: Code, target: Code) -> Code:
    """Merge ``source`` into ``target`` in the same codebook: its codings, memos and child codes
    follow, a unit that had both keeps one coding, and ``source`` is gone."""
    _codebook_writer(actor, target.codebook)
    if source.codebook_id != target.codebook_id:
        raise ValidationError({"target": _("Merge codes of the same codebook.")})
    if target.pk in _subtree(source):
        raise ValidationError({"target": _("A code cannot be merged into one below itself.")})
    already = Coding.objects.filter(code=target).values("selection_id")
    moved = Coding.objects.filter(code=source).exclude(selection_id__in=already).update(code=target)
    Coding.objects.filter(code=source).delete()
    Memo.objects.filter(code=source).update(code=target)
    start = Code.objects.filter(codebook_id=target.codebook_id, parent=target).count()
    for offset, child in enumerate(Code.objects.filter(parent=source).order_by("position", "pk")):
        child.parent = target
        child.position = start + offset
        if LEVEL_ORDER[child.level] <= LEVEL_ORDER[target.level]:
            child.level = list(LEVEL_ORDER)[min(LEVEL_ORDER[target.level] + 1, 3)]
        child.save(update_fields=["parent", "position", "level"])
    _audit(actor, AuditAction.UPDATE, target, f"narratives: code {source.guid} merged in ({moved})")
    source.delete()
    return target


@transaction.atomic
def delete_code(actor: Actor, code: Code, *, confirmed: bool) -> int:
    """Delete a code, the codes below it and all their codings, once the person confirmed it.

    Returns how many codings went. Units left without any code or condensed meaning go too.
    """
    _codebook_writer(actor, code.codebook)
    if not confirmed:
        raise ValidationError({"confirm": _("Confirm that the code and its codings go.")})
    codes = _subtree(code)
    selections = list(
        Coding.objects.filter(code_id__in=codes).values_list("selection_id", flat=True)
    )
    removed, _by_model = Coding.objects.filter(code_id__in=codes).delete()
    Selection.objects.filter(pk__in=selections, codings__isnull=True, condensed="").delete()
    _audit(actor, AuditAction.END, code, f"narratives: code deleted with {removed} coding(s)")
    Code.objects.filter(pk__in=codes).delete()
    return removed


@transaction.atomic
def copy_codebook(actor: Actor, template: Codebook, project: NarrativeProject) -> Codebook:
    """A project's own copy of a codebook (a starter template, or another project's)."""
    require_role(actor, project, WORKING_ROLES)
    copy = Codebook.objects.create(project=project, name=template.name, origin=template.origin)
    mapping: dict[int, Code] = {}
    for code in Code.objects.filter(codebook=template).order_by("pk"):
        mapping[code.pk] = Code.objects.create(
            codebook=copy,
            parent=mapping[code.parent_id] if code.parent_id is not None else None,
            level=code.level,
            name=code.name,
            definition=code.definition,
            examples=list(code.examples),
            concept_code=code.concept_code,
            position=code.position,
        )
    _audit(actor, AuditAction.CREATE, copy, f"narratives: codebook copied from {template.guid}")
    return copy


# Sources: narratives and transcripts ---------------------------------------------------------


def _consent(project: NarrativeProject, improvement: bool, research: bool) -> None:
    """Refuse, before anything is stored, a text whose consent does not cover the project.

    A text the project may not use would be stored out of everyone's reach (``usable_sources``
    never returns it), so it is not taken in at all.
    """
    if not (improvement or research):
        raise ValidationError(
            _("Say what the text may be used for: service improvement, research, or both.")
        )
    if project.purpose == Purpose.RESEARCH and not research:
        raise ValidationError(
            _(
                "This project is for research, and the consent given does not cover research. "
                "Nothing was stored."
            )
        )
    if project.purpose != Purpose.RESEARCH and not improvement:
        raise ValidationError(
            _(
                "This project is for service improvement, and the consent given does not cover "
                "it. Nothing was stored."
            )
        )


def _attributes(attributes: Mapping[str, str] | None) -> dict[str, str]:
    """Case attributes: speaker role, unit, date (YYYY-MM-DD), case. Empty values are dropped."""
    kept: dict[str, str] = {}
    for key, value in (attributes or {}).items():
        if key not in CASE_ATTRIBUTES:
            raise ValidationError(
                {"attributes": _("Unknown case attribute: %(name)s.") % {"name": key}}
            )
        value = str(value).strip()
        if not value:
            continue
        if key == "date":
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                raise ValidationError({"attributes": _("Write the date as YYYY-MM-DD.")}) from None
        kept[key] = _text(value, "attributes", MAX_NAME)
    return kept


def _new_source(
    actor: Actor,
    project: NarrativeProject,
    *,
    raw: str,
    name: str,
    kind: str,
    attributes: dict[str, str],
    consent_improvement: bool,
    consent_research: bool,
    anonymous_to_service: bool = False,
    tracked_changes: bool = False,
) -> Source:
    user = _need_user(actor)
    _consent(project, consent_improvement, consent_research)
    normalised = normalise(raw)
    text = _text(normalised.text, "text", MAX_SOURCE_CHARS, for_xml=False)
    source = Source(
        project=project,
        name=_text(name, "name", 255),
        kind=kind,
        text=text,
        char_count=len(text),
        had_bom=normalised.had_bom,
        newline_style=normalised.line_endings.style,
        newline_exceptions=normalised.line_endings.exceptions_json(),
        attributes=attributes,
        consent_improvement=consent_improvement,
        consent_research=consent_research,
        anonymous_to_service=anonymous_to_service,
        tracked_changes=tracked_changes,
        submitted_by=user,
        submitted_role=actor.role,
    )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def submit_narrative(
    actor: Actor,
    project: NarrativeProject,
    text: str,
    *,
    consent_improvement: bool,
    consent_research: bool,
    anonymous_to_service: bool = False,
    name: str = "",
) -> Source:
    """A person, staff member or invited family member tells their story to the project.

    Consent is explicit and required. Anonymous means anonymous to the service: the audit log
    still records who sent it, so the writer can later withdraw it.
    """
    if not project.accepts_narratives:
        raise PermissionDenied("this project does not collect narratives")
    source = _new_source(
        actor,
        project,
        raw=text,
        name=name or _("Narrative of %(date)s") % {"date": timezone.localdate().isoformat()},
        kind=SourceKind.NARRATIVE,
        attributes={},
        consent_improvement=consent_improvement,
        consent_research=consent_research,
        anonymous_to_service=anonymous_to_service,
    )
    _audit(
        actor,
        AuditAction.CREATE,
        source,
        "narratives: narrative submitted"
        + (" (anonymous to the service)" if anonymous_to_service else ""),
        _person_id(actor.user),
    )
    return source


@transaction.atomic
def withdraw_consent(actor: Actor, source: Source, *, why: str = "") -> Source:
    """The writer (or a lead, on their behalf) withdraws consent. Nothing later will use it.

    The row and its coded units stay for the audit trail; ``usable_sources`` no longer returns it.
    Withdrawing twice changes nothing.
    """
    user = _need_user(actor)
    if user.pk != source.submitted_by_id:
        require_role(actor, source.project, LEAD_ONLY)
    source = Source.objects.select_for_update().get(pk=source.pk)
    if source.withdrawn_at is not None:
        return source
    source.withdrawn_at = timezone.now()
    source.withdrawn_by = user
    source.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _audit(
        actor,
        AuditAction.END,
        source,
        "narratives: consent withdrawn" + (f": {why}" if why else ""),
        _person_id(source.submitted_by),
    )
    return source


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"
# Tracked changes: what was inserted is part of the text, what was deleted (or moved away) is not.
_DROPPED = frozenset({_W + "del", _W + "moveFrom"})
_TRACKED = frozenset({_W + "ins", _W + "del", _W + "moveFrom", _W + "moveTo"})
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<svg")


@dataclass(frozen=True)
class TranscriptText:
    text: str
    tracked_changes: bool = False


def _docx_part(data: bytes) -> bytes:
    """``word/document.xml`` of a .docx, refusing archives too large or with a DTD to unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED:
                raise ValidationError(_("This document is too large to read."))
            names = {info.filename.lower(): info.filename for info in archive.infolist()}
            if "[content_types].xml" not in names or "word/document.xml" not in names:
                raise ValidationError(_("This file is neither UTF-8 text nor a Word document."))
            return archive.read(names["word/document.xml"])
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(_("This file is neither UTF-8 text nor a Word document.")) from error


def _docx_body(xml: bytes) -> Any:
    """The ``w:body`` element; a document with a DTD (entities) is refused, never cut short."""
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise ValidationError(_("This Word document cannot be read whole.")) from error
    if b"<!DOCTYPE" in xml[:4096].upper() or root.getroottree().docinfo.doctype:
        raise ValidationError(
            _("This Word document declares a DTD or entities, so it cannot be read safely.")
        )
    body = root.find(_W + "body")
    if body is None:
        raise ValidationError(_("This file is neither UTF-8 text nor a Word document."))
    return body


def _run_text(element: Any, into: list[str]) -> None:
    """The text of a paragraph's content, in order: runs, insertions, fields, content controls."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _DROPPED:
            continue
        if tag == _W + "t":
            into.append(child.text or "")
        elif tag == _W + "tab":
            into.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            into.append("\n")
        elif tag == _W + "noBreakHyphen":
            into.append("\u2011")
        elif tag not in (_W + "pPr", _W + "rPr", _W + "sdtPr", _W + "instrText", _W + "delText"):
            _run_text(child, into)


def _blocks(container: Any, into: list[str]) -> None:
    """Paragraphs and table rows (cells joined by tabs) of a body, cell or content control."""
    for child in container:
        tag = child.tag
        if tag == _W + "p":
            pieces: list[str] = []
            _run_text(child, pieces)
            into.append("".join(pieces))
        elif tag == _W + "tbl":
            for row in child.iter(_W + "tr"):
                cells: list[str] = []
                for cell in row.findall(_W + "tc"):
                    inside: list[str] = []
                    _blocks(cell, inside)
                    cells.append("\n".join(inside))
                into.append("\t".join(cells))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _blocks(content, into)
        elif isinstance(tag, str) and tag not in _DROPPED and tag != _W + "sectPr":
            _blocks(child, into)  # w:ins / w:customXml around whole paragraphs


def _docx_text(data: bytes) -> TranscriptText:
    """The text of a .docx in document order, read from the body XML.

    Tracked insertions are kept and deletions dropped (the document as it reads now); content
    controls and tables are included. Whether the document had tracked changes is reported so
    the uploader can check the result.
    """
    body = _docx_body(_docx_part(data))
    blocks: list[str] = []
    _blocks(body, blocks)
    tracked = any(element.tag in _TRACKED for element in body.iter())
    return TranscriptText("\n".join(blocks), tracked)


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_STARTS)


def transcript_text(data: bytes, filename: str = "") -> TranscriptText:
    """Decode an uploaded transcript: a Word document (.docx) or UTF-8 text (BOM or not).

    The real type decides, not the name: a file named .docx must be one, and HTML or other
    markup is refused rather than stored with its tags as a transcript.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("This file is too large."))
    if data.startswith(b"PK\x03\x04"):
        return _docx_text(data)
    if filename.lower().endswith((".docx", ".doc", ".docm")) or _looks_like_markup(data):
        raise ValidationError(_("This file is neither UTF-8 text nor a Word document."))
    try:
        text = decode_utf8(data)
    except TextDecodeError:
        raise ValidationError(_("This file is neither UTF-8 text nor a Word document.")) from None
    return TranscriptText(text)


@transaction.atomic
def upload_transcript(
    actor: Actor,
    project: NarrativeProject,
    name: str,
    data: bytes,
    *,
    consent_improvement: bool,
    consent_research: bool,
    attributes: Mapping[str, str] | None = None,
    filename: str = "",
) -> Source:
    """An analyst adds the transcript of a focus group or dialogue meeting.

    The analyst states what the participants consented to, and the consent must cover the
    project's purpose; the text is kept normalised with the offset map for its original line
    endings. ``source.tracked_changes`` says whether a Word document held tracked changes.
    """
    require_role(actor, project, WORKING_ROLES)
    _consent(project, consent_improvement, consent_research)
    read = transcript_text(data, filename)
    source = _new_source(
        actor,
        project,
        raw=read.text,
        tracked_changes=read.tracked_changes,
        name=name,
        kind=SourceKind.TRANSCRIPT,
        attributes=_attributes(attributes),
        consent_improvement=consent_improvement,
        consent_research=consent_research,
    )
    _audit(actor, AuditAction.CREATE, source, "narratives: transcript uploaded")
    return source


# Coding --------------------------------------------------------------------------------------


def _usable(source: Source) -> None:
    if not usable_sources(source.project).filter(pk=source.pk).exists():
        raise ValidationError(_("This text may no longer be used: its consent was withdrawn."))


def _project_codes(project: NarrativeProject, codes: Iterable[Code]) -> list[Code]:
    chosen = list({code.pk: code for code in codes}.values())
    allowed = set(
        Code.objects.filter(pk__in=[c.pk for c in chosen], codebook__project=project).values_list(
            "pk", flat=True
        )
    )
    if any(code.pk not in allowed for code in chosen):
        raise ValidationError({"codes": _("Use codes from this project's codebooks.")})
    return chosen


def check_span(source: Source, start: int, end: int) -> None:
    if not (0 <= start < end <= source.char_count):
        raise ValidationError(
            {
                "start": _(
                    "A selection runs from %(first)d up to at most %(last)d, and is not empty."
                )
                % {"first": 0, "last": source.char_count}
            }
        )


@transaction.atomic
def code_span(
    actor: Actor,
    source: Source,
    start: int,
    end: int,
    condensed: str,
    codes: Sequence[Code],
) -> Selection:
    """Select a meaning unit ``[start, end)``, write its condensed meaning, apply codes."""
    user = _need_user(actor)
    require_role(actor, source.project, WORKING_ROLES)
    _usable(source)
    check_span(source, start, end)
    condensed = _text(condensed, "condensed", MAX_MEMO, required=False)
    chosen = _project_codes(source.project, codes)
    if not chosen and not condensed.strip():
        raise ValidationError(_("Apply a code or write the condensed meaning."))
    selection = Selection.objects.create(
        source=source,
        start=start,
        end=end,
        condensed=condensed,
        coder=user,
        coder_guid=user_guid(user.pk),
        coder_name=user.shown_name[:150],
    )
    Coding.objects.bulk_create(Coding(selection=selection, code=code) for code in chosen)
    _audit(actor, AuditAction.CREATE, selection, f"narratives: coded with {len(chosen)} code(s)")
    return selection


SPEAKER_LABEL = re.compile(r"^[ \t]*([^:：\n]{1,40})[:：][ \t]*")


def speakers(text: str) -> list[str]:
    """The speaker labels that start lines of a transcript ("Participant 1: ..."), in order."""
    found: dict[str, None] = {}
    for line in text.split("\n"):
        label = SPEAKER_LABEL.match(line)
        if label is not None and line[label.end() :].strip():
            found.setdefault(label.group(1).strip(), None)
    return list(found)


def speaker_turns(text: str, speaker: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each of ``speaker``'s turns: the words after the label, to line end."""
    turns: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        label = SPEAKER_LABEL.match(line)
        words = line[label.end() :].rstrip() if label is not None else ""
        if label is not None and label.group(1).strip() == speaker and words:
            turns.append((offset + label.end(), offset + label.end() + len(words)))
        offset += len(line) + 1
    return turns


@transaction.atomic
def autocode_speaker(actor: Actor, source: Source, speaker: str, codes: Sequence[Code]) -> int:
    """Code every turn of one speaker with ``codes``, as the actor's own units.

    A turn the actor already coded with the same span gets the codes added. Returns how many
    turns were coded.
    """
    user = _need_user(actor)
    require_role(actor, source.project, WORKING_ROLES)
    _usable(source)
    chosen = _project_codes(source.project, codes)
    if not chosen:
        raise ValidationError({"codes": _("Choose at least one code.")})
    turns = speaker_turns(source.text, speaker)
    for start, end in turns:
        unit = Selection.objects.filter(
            source=source, start=start, end=end, coder=user, is_consensus=False
        ).first()
        if unit is None:
            unit = Selection.objects.create(
                source=source,
                start=start,
                end=end,
                coder=user,
                coder_guid=user_guid(user.pk),
                coder_name=user.shown_name[:150],
            )
        Coding.objects.bulk_create(
            (Coding(selection=unit, code=code) for code in chosen), ignore_conflicts=True
        )
    _audit(
        actor,
        AuditAction.CREATE,
        source,
        f"narratives: {len(turns)} turn(s) of one speaker auto-coded with {len(chosen)} code(s)",
    )
    return len(turns)


def _own_selection(actor: Actor, selection: Selection) -> User:
    user = _need_user(actor)
    require_role(actor, selection.source.project, WORKING_ROLES)
    if selection.coder_id != user.pk:
        raise PermissionDenied("only the coder changes their coding")
    return user


@transaction.atomic
def apply_codes(actor: Actor, selection: Selection, codes: Sequence[Code]) -> Selection:
    _own_selection(actor, selection)
    _usable(selection.source)
    chosen = _project_codes(selection.source.project, codes)
    Coding.objects.bulk_create(
        (Coding(selection=selection, code=code) for code in chosen), ignore_conflicts=True
    )
    _audit(actor, AuditAction.UPDATE, selection, f"narratives: {len(chosen)} code(s) applied")
    return selection


@transaction.atomic
def remove_selection(actor: Actor, selection: Selection) -> None:
    _own_selection(actor, selection)
    _audit(actor, AuditAction.END, selection, "narratives: coded unit removed")
    selection.delete()


@transaction.atomic
def merge_consensus(
    actor: Actor,
    source: Source,
    code: Code,
    coder_guids: Collection[uuid.UUID],
    *,
    min_coders: int | None = None,
) -> list[Selection]:
    """The lead merges coders' work on one code into consensus units.

    Characters at least ``min_coders`` of the coders coded (default: a strict majority) become
    consensus selections by the lead. The draft condensed meaning gathers the coders' own, in
    order; an existing consensus unit with the same span gets the code added instead.
    """
    user = _need_user(actor)
    require_role(actor, source.project, LEAD_ONLY)
    _usable(source)
    _project_codes(source.project, [code])
    theirs = list(
        Selection.objects.filter(
            source=source, codings__code=code, coder_guid__in=coder_guids, is_consensus=False
        ).order_by("start", "end", "pk")
    )
    spans: dict[uuid.UUID, list[agreement.Interval]] = {guid: [] for guid in coder_guids}
    for selection in theirs:
        spans[selection.coder_guid].append((selection.start, selection.end))
    merged: list[Selection] = []
    for start, end in agreement.consensus(spans, min_coders):
        condensed: list[str] = []
        for selection in theirs:
            text = selection.condensed.strip()
            if selection.start < end and start < selection.end and text and text not in condensed:
                condensed.append(text)
        unit = Selection.objects.filter(
            source=source, start=start, end=end, is_consensus=True
        ).first()
        if unit is None:
            unit = Selection.objects.create(
                source=source,
                start=start,
                end=end,
                condensed=" / ".join(condensed),
                coder=user,
                coder_guid=user_guid(user.pk),
                coder_name=user.shown_name[:150],
                is_consensus=True,
            )
        Coding.objects.get_or_create(selection=unit, code=code)
        _audit(actor, AuditAction.CREATE, unit, "narratives: consensus merged")
        merged.append(unit)
    return merged


# Memos ---------------------------------------------------------------------------------------


@transaction.atomic
def add_memo(
    actor: Actor,
    project: NarrativeProject,
    text: str,
    *,
    code: Code | None = None,
    source: Source | None = None,
) -> Memo:
    """A memo on the project, on one code, or on one source."""
    user = _need_user(actor)
    require_role(actor, project, WORKING_ROLES)
    if code is not None and source is not None:
        raise ValidationError(_("A memo is about one thing: the project, a code or a source."))
    if code is not None:
        _project_codes(project, [code])
    if source is not None and source.project_id != project.pk:
        raise ValidationError({"source": _("The source belongs to another project.")})
    memo = Memo.objects.create(
        project=project,
        target=(
            MemoTarget.CODE
            if code is not None
            else MemoTarget.SOURCE
            if source is not None
            else MemoTarget.PROJECT
        ),
        code=code,
        source=source,
        text=_text(text, "text", MAX_MEMO),
        author=user,
    )
    _audit(actor, AuditAction.CREATE, memo, f"narratives: memo on {memo.target}")
    return memo
