"""REFI-QDA exchange pages: export a project (.qdpx) or a codebook (.qdc), import either.

Who may do what (declared in ``tests/access_matrix_narratives_reports.py``):

* the export page and the codebook (.qdc) download: every member of the project (a codebook
  holds no person data);
* the project (.qdpx) download: leads only, as ``refi.export_qdpx`` enforces; it carries the full
  text of every usable narrative and transcript. The lead may pseudonymise the names of sources
  and coders in it;
* importing a .qdpx (which creates a new project the importer leads): staff members, the same
  people who may start a project on the workbench;
* importing a .qdc into a project as a new codebook: the project's leads.

Files from elsewhere are hostile until proven otherwise. Before the importer sees an archive,
``check_archive`` refuses path traversal in entry names, encrypted or damaged entries and zip
bombs (by declared and by actual unpacked size); the XML itself is parsed by
``refi_schema.parse_untrusted`` (no DTD, so no entity expansion and no external entities).
Every refusal is a clear message on the page, and an import runs in one transaction: all of it
or nothing.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
import zipfile
import zlib
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from lxml import etree  # type: ignore[import-untyped]

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.pages import add_errors, denied_as_404
from alongside.core.roles import kinds_of, primary_role
from alongside.narratives import refi, services
from alongside.narratives.models import AnalystRole, Codebook, Purpose
from alongside.narratives.refi_schema import PROJECT_NS, codebook_errors, validate_project

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = services.MAX_UPLOAD_BYTES
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # unpacked / packed, for entries larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
CHUNK = 64 * 1024
LEAD = (AnalystRole.LEAD,)
_DRIVE = re.compile(r"^[A-Za-z]:")


# Hostile archives ----------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    """An entry name that would point outside the archive if anyone unpacked it."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        return True
    return any(part == ".." for part in name.split("/"))


def check_archive(data: bytes) -> None:
    """Refuse a zip that is not safe to read: a ``ValidationError`` saying why, or nothing.

    Checks every entry before anything is parsed: names (no ``..``, no absolute paths, no
    backslashes or drive letters), no encryption, the declared unpacked size and ratio, and
    then the actual unpacked size, read in chunks and stopped at the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ValidationError(_("This is not a REFI-QDA project file (.qdpx).")) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ValidationError(_("This archive holds too many files to import."))
        declared = 0
        for info in entries:
            if _unsafe_name(info.filename):
                raise ValidationError(
                    _(
                        "This archive names a file outside itself (%(name)s). "
                        "It was refused and nothing was imported."
                    )
                    % {"name": info.filename[:200]}
                )
            if info.flag_bits & 0x1:
                raise ValidationError(_("This archive is encrypted; it cannot be imported."))
            declared += info.file_size
            ratio_limited = info.file_size > RATIO_FLOOR
            if ratio_limited and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ValidationError(_zip_bomb())
        if declared > MAX_UNPACKED_BYTES:
            raise ValidationError(_zip_bomb())
        unpacked = 0
        try:
            for info in entries:
                with archive.open(info) as entry:
                    while chunk := entry.read(CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise ValidationError(_zip_bomb())
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError):
            raise ValidationError(
                _("This archive is damaged or uses a format that cannot be read.")
            ) from None


def _zip_bomb() -> str:
    return _(
        "This archive unpacks to far more than a project needs (%(limit)d MB at most). "
        "It was refused and nothing was imported."
    ) % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}


def _read_upload(upload: UploadedFile, field: str) -> bytes:
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                field: _("This file is too large: at most %(limit)d MB.")
                % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)}
            }
        )
    data: bytes = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                field: _("This file is too large: at most %(limit)d MB.")
                % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)}
            }
        )
    return data


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This file could not be imported: parts of it cannot be read. Nothing was imported.")
    )


# Pseudonymised export ------------------------------------------------------------------------


def pseudonymise_qdpx(data: bytes) -> bytes:
    """The same .qdpx with sources named "Source 1", "Source 2"... and coders "Coder 1"...

    Every user gets a fresh random GUID, new with each export, and every reference to a user is
    rewritten to it, so nothing in the file matches the GUIDs in our own pages (such as the
    agreement page's addresses) or another export. Users lose their ``id`` (our internal user
    number); a consensus user keeps only the bare ``refi.CONSENSUS_ID`` marker. Memo texts and the
    text of the sources themselves are not changed.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    qde = source.read("project.qde")
    root: Any = etree.fromstring(qde, etree.XMLParser(resolve_entities=False, no_network=True))
    ns = f"{{{PROJECT_NS}}}"
    fresh: dict[str, str] = {}
    for number, user in enumerate(root.iter(f"{ns}User"), start=1):
        fresh[user.get("guid", "")] = str(uuid.uuid4())
        user.set("guid", fresh[user.get("guid", "")])
        user.set("name", _("Coder %(number)d") % {"number": number})
        consensus = user.get("id", "").startswith(refi.CONSENSUS_ID)
        user.attrib.pop("id", None)
        if consensus:
            user.set("id", refi.CONSENSUS_ID)
    for element in root.iter():
        for attribute in ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID"):
            value = element.get(attribute)
            if value is not None:
                element.set(attribute, fresh.setdefault(value, str(uuid.uuid4())))
    for number, text_source in enumerate(root.iter(f"{ns}TextSource"), start=1):
        text_source.set("name", _("Source %(number)d") % {"number": number})
    changed: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    validate_project(changed)
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = changed if info.filename == "project.qde" else source.read(info)
            archive.writestr(info.filename, content)
    return out.getvalue()


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _file_stem(name: str, fallback: str) -> str:
    return slugify(name)[:60] or fallback


# Export --------------------------------------------------------------------------------------


class ExportProjectForm(forms.Form):
    pseudonymise = forms.BooleanField(
        label=gettext_lazy("Pseudonymise the names of sources and coders"),
        help_text=gettext_lazy(
            'Sources become "Source 1", "Source 2"... and coders "Coder 1"... '
            "The texts themselves and memos are not changed."
        ),
        required=False,
    )


@require_GET
@login_required
def export_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """What a member may take out of the project: codebooks (all), the project (leads)."""
    grant = access.open_project(request, project_id, why="exchange page")
    context = {
        "grant": grant,
        "project": grant.project,
        "codebooks": Codebook.objects.filter(project=grant.project).order_by("pk"),
        "form": ExportProjectForm() if grant.is_lead else None,
        "usable": services.usable_sources(grant.project).count(),
    }
    return render(request, "narratives/exchange/export.html", context)


@require_GET
@login_required
@denied_as_404
def export_qdpx(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project as .qdpx: withdrawn sources never leave (``refi.export_qdpx``). Leads only."""
    grant = access.open_project(request, project_id, why="export .qdpx", roles=LEAD)
    form = ExportProjectForm(request.GET)
    pseudonymise = form.is_valid() and form.cleaned_data["pseudonymise"]
    data = refi.export_qdpx(grant.project, actor=grant.actor)
    if pseudonymise:
        data = pseudonymise_qdpx(data)
        record(
            grant.actor,
            AuditAction.READ,
            obj=grant.project,
            why="narratives: the .qdpx export was pseudonymised",
            request=request,
        )
    stem = _file_stem(grant.project.name, "project")
    return _attachment(data, "application/zip", f"{stem}.qdpx")


@require_GET
@login_required
def export_qdc(request: HttpRequest, project_id: int, codebook_id: int) -> HttpResponse:
    """One of the project's codebooks as .qdc. Any member."""
    grant = access.open_project(request, project_id, why="export .qdc")
    codebook = get_object_or_404(Codebook, pk=codebook_id, project=grant.project)
    try:
        data = refi.export_qdc(codebook)
    except ValidationError as empty:
        context = {
            "grant": grant,
            "project": grant.project,
            "codebooks": Codebook.objects.filter(project=grant.project).order_by("pk"),
            "form": ExportProjectForm() if grant.is_lead else None,
            "usable": services.usable_sources(grant.project).count(),
            "error": " ".join(empty.messages),
        }
        return render(request, "narratives/exchange/export.html", context)
    return _attachment(data, "application/xml", f"{_file_stem(codebook.name, 'codebook')}.qdc")


# Import --------------------------------------------------------------------------------------


class ImportProjectForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("REFI-QDA file (.qdpx)"),
        help_text=gettext_lazy(
            "Exported from NVivo, ATLAS.ti, MAXQDA, QualCoder or Alongside. At most 25 MB."
        ),
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the new project"),
        help_text=gettext_lazy("Leave empty to keep the name in the file."),
        max_length=200,
        required=False,
    )
    purpose = forms.ChoiceField(
        label=gettext_lazy("What the participants consented to"),
        choices=Purpose.choices,
        initial=Purpose.RESEARCH,
        help_text=gettext_lazy(
            "Every text in the file is recorded with consent for this purpose, given by you."
        ),
    )
    crlf_counting = forms.ChoiceField(
        label=gettext_lazy("How the file counts line breaks"),
        choices=[
            ("auto", gettext_lazy("Decide from the file (recommended)")),
            ("two", gettext_lazy("A Windows line break is two characters (REFI-QDA)")),
            ("one", gettext_lazy("A Windows line break is one character (ATLAS.ti)")),
        ],
        initial="auto",
    )


class ImportCodebookForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("REFI-QDA file (.qdc)"),
        help_text=gettext_lazy("At most 25 MB."),
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the new codebook"),
        max_length=200,
        required=False,
        help_text=gettext_lazy('Leave empty to call it "Imported codebook".'),
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_project(request: HttpRequest) -> HttpResponse:
    """A new project from a .qdpx, led by the importer. Staff members only."""
    user = request.user
    if not isinstance(user, User) or not kinds_of(user).is_staff_member:
        raise Http404()
    form = ImportProjectForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    result: refi.ImportResult | None = None
    codebooks = 0
    if form.is_bound and form.is_valid():
        try:
            data = _read_upload(form.cleaned_data["file"], "file")
            check_archive(data)
            with transaction.atomic():
                result = refi.import_qdpx_report(
                    data,
                    actor=Actor(user, primary_role(user)),
                    purpose=form.cleaned_data["purpose"],
                    name=form.cleaned_data["name"],
                    crlf_counting=form.cleaned_data["crlf_counting"],
                )
            codebooks = Codebook.objects.filter(project=result.project).count()
        except ValidationError as invalid:
            add_errors(form, invalid)
        except (DatabaseError, LookupError, ValueError, zipfile.BadZipFile, zlib.error, EOFError):
            log.warning("narratives: a .qdpx could not be imported", exc_info=True)
            add_errors(form, _unreadable())
    context = {"form": form, "result": result, "codebooks": codebooks}
    return render(request, "narratives/exchange/import_project.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@denied_as_404
def import_codebook(request: HttpRequest, project_id: int) -> HttpResponse:
    """A .qdc into the project as a new codebook. Leads only."""
    grant = access.open_project(request, project_id, why="import .qdc", roles=LEAD)
    form = ImportCodebookForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    imported: Codebook | None = None
    messages: list[str] = []
    code_count = 0
    if form.is_bound and form.is_valid():
        try:
            data = _read_upload(form.cleaned_data["file"], "file")
            codes, messages = refi.read_qdc(data)
            if not codes:
                raise ValidationError({"file": _("This codebook holds no codes.")})
            schema = codebook_errors(data)
            if schema:
                messages.append(f"the codebook does not validate: {schema[0]}")
            with transaction.atomic():
                imported = refi.import_qdc(
                    data, actor=grant.actor, project=grant.project, name=form.cleaned_data["name"]
                )
            code_count = imported.codes.count()
        except ValidationError as invalid:
            add_errors(form, invalid)
        except (DatabaseError, LookupError, ValueError):
            log.warning("narratives: a .qdc could not be imported", exc_info=True)
            add_errors(form, _unreadable())
    context = {
        "grant": grant,
        "project": grant.project,
        "form": form,
        "imported": imported,
        "messages_in": messages,
        "code_count": code_count,
    }
    return render(request, "narratives/exchange/import_codebook.html", context)
