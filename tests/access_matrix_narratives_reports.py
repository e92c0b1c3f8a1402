"""Access declarations for the narratives reports and exchange URLs (see
access_matrix_narratives.py).

Reports are for the project's members (lead, coder, viewer); in the world only the ANALYST is a
member (the lead). Exchange: every member exports a codebook (.qdc) and sees the export page; only
leads export the whole project (.qdpx: the full texts) and import a codebook into it; any staff
member may import a .qdpx, which creates a new project they lead.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.narratives import refi
from tests.access_declarations import STAFF, Declaration, P, only
from tests.narratives_world import narratives_world
from tests.personas import Persona, World

MEMBERS: list[Persona] = [P.ANALYST]
STAFF_USERS: list[Persona] = list(STAFF)


def project(world: World) -> dict[str, Any]:
    return {"project_id": narratives_world(world).project.pk}


def codebook(world: World) -> dict[str, Any]:
    built = narratives_world(world)
    return {"project_id": built.project.pk, "codebook_id": built.codebook.pk}


def with_project(world: World) -> dict[str, Any]:
    narratives_world(world)
    return {}


def qdpx_upload(world: World) -> dict[str, Any]:
    data = refi.export_qdpx(narratives_world(world).project)
    return {
        "file": SimpleUploadedFile("ward.qdpx", data),
        "purpose": "research",
        "crlf_counting": "auto",
    }


def qdc_upload(world: World) -> dict[str, Any]:
    data = refi.export_qdc(narratives_world(world).codebook)
    return {"file": SimpleUploadedFile("book.qdc", data), "name": "Imported"}


def _members_get(kwargs: Any = project, notes: str = "project members only") -> Declaration:
    return Declaration("get", only(MEMBERS), kwargs=kwargs, notes=notes)


REPORTS: dict[str, Declaration] = {
    "narratives:report-themes": _members_get(),
    "narratives:retrieve": _members_get(),
    "narratives:report-themes-csv": _members_get(),
    "narratives:report-cooccurrence": _members_get(),
    "narratives:report-cooccurrence-csv": _members_get(),
    "narratives:report-barriers": _members_get(),
    "narratives:report-barriers-csv": _members_get(),
    "narratives:export-page": _members_get(),
    "narratives:export-qdpx": _members_get(notes="leads only: the full texts leave with it"),
    "narratives:export-qdc": _members_get(kwargs=codebook, notes="any member: no person data"),
    "narratives:import-project": Declaration(
        "get", only(STAFF_USERS), kwargs=with_project, notes="staff may start (import) a project"
    ),
    "narratives:import-codebook": _members_get(notes="leads only"),
}

REPORTS_ALSO: list[tuple[str, Declaration]] = [
    (
        "narratives:import-project",
        Declaration(
            "post",
            only(STAFF_USERS),
            kwargs=with_project,
            data=qdpx_upload,
            writes=True,
            notes="the import report is shown on the page (200); it creates a new project",
        ),
    ),
    (
        "narratives:import-codebook",
        Declaration(
            "post",
            only(MEMBERS),
            kwargs=project,
            data=qdc_upload,
            writes=True,
            notes="leads import a codebook; the report is shown on the page (200)",
        ),
    ),
]
