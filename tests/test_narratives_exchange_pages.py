"""The REFI-QDA exchange pages: export (.qdpx for leads, .qdc for members) and import.

Hostile files go through the page: each is refused with a clear message on a 200 page, and no
row is written (the narratives tables are counted before and after).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from lxml import etree  # type: ignore[import-untyped]

from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.narratives import refi, services
from alongside.narratives.models import (
    AnalystRole,
    Code,
    Codebook,
    Coding,
    Memo,
    NarrativeProject,
    ProjectMember,
    Selection,
    Source,
)
from alongside.narratives.refi_schema import PROJECT_NS, codebook_errors, project_errors
from tests.narratives_world import NarrativesWorld, make_analysts, narratives_world
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]
CODE_GUID = "22222222-2222-4222-8222-222222222222"
SOURCE_GUID = "11111111-1111-4111-8111-111111111111"


@pytest.fixture
def nw(world: World) -> NarrativesWorld:
    return narratives_world(world)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            NarrativeProject,
            ProjectMember,
            Codebook,
            Code,
            Source,
            Selection,
            Coding,
            Memo,
        )
    }


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _foreign_qde(extra_sources: str = "", prolog: str = "", description: str = "Looking.") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}'
        f'<Project xmlns="{PROJECT_NS}" name="Foreign study" origin="Other tool">'
        f'<CodeBook><Codes><Code guid="{CODE_GUID}" name="Hope" isCodable="true">'
        f"<Description>{description}</Description></Code></Codes></CodeBook>"
        f'<Sources><TextSource guid="{SOURCE_GUID}" name="Interview" '
        f'plainTextPath="internal://{SOURCE_GUID}.txt">'
        f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="0" endPosition="4">'
        f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{CODE_GUID}"/></Coding>'
        f"</PlainTextSelection></TextSource>{extra_sources}</Sources></Project>"
    )


def _upload(data: bytes, name: str = "study.qdpx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _import(client: Client, data: bytes, **fields: str) -> Any:
    payload: dict[str, Any] = {"purpose": "research", "crlf_counting": "auto", **fields}
    payload["file"] = _upload(data)
    return client.post(reverse("narratives:import-project"), payload)


def _qde_of(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("project.qde"))


def _texts_in(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("sources/")
        ]


# Export --------------------------------------------------------------------------------------


def test_the_export_page_offers_the_project_to_leads_only(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    make_analysts(world.users[Persona.KEY_WORKER], unit=world.ward)
    services.add_member(
        Actor(world.users[Persona.ANALYST], "analyst"),
        nw.project,
        world.users[Persona.KEY_WORKER],
        AnalystRole.VIEWER,
    )
    url = reverse("narratives:export-page", args=[nw.project.pk])
    lead_page = client_as(Persona.ANALYST).get(url)
    assert lead_page.status_code == 200
    assert reverse("narratives:export-qdpx", args=[nw.project.pk]) in lead_page.content.decode()
    viewer_page = client_as(Persona.KEY_WORKER).get(url).content.decode()
    assert reverse("narratives:export-qdc", args=[nw.project.pk, nw.codebook.pk]) in viewer_page
    assert reverse("narratives:export-qdpx", args=[nw.project.pk]) not in viewer_page
    viewer_download = reverse("narratives:export-qdpx", args=[nw.project.pk])
    assert client_as(Persona.KEY_WORKER).get(viewer_download).status_code == 404
    assert client_as(Persona.P2).get(url).status_code == 404


def test_the_project_export_validates_and_leaves_withdrawn_narratives_out(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    lead = client_as(Persona.ANALYST)
    url = reverse("narratives:export-qdpx", args=[nw.project.pk])
    response = lead.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="stories-from-ward-a.qdpx"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert project_errors(archive.read("project.qde")) == []
    assert any("night staff listened" in text for text in _texts_in(response.content))

    withdraw = reverse("narratives:collect-withdraw", args=[nw.narrative.pk])
    assert client_as(Persona.P1).post(withdraw, {"reason": ""}).status_code == 302
    after = lead.get(url).content
    assert not any("night staff listened" in text for text in _texts_in(after))
    sources = _qde_of(after).findall(f".//{{{PROJECT_NS}}}TextSource")
    assert [s.get("name") for s in sources] == ["Focus group 1"]


def test_the_project_export_can_pseudonymise_names(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    url = reverse("narratives:export-qdpx", args=[nw.project.pk]) + "?pseudonymise=on"
    response = client_as(Persona.ANALYST).get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        qde = archive.read("project.qde")
    assert project_errors(qde) == []
    root = etree.fromstring(qde)
    names = [s.get("name") for s in root.iter(f"{{{PROJECT_NS}}}TextSource")]
    assert names == ["Source 1", "Source 2"]
    users = list(root.iter(f"{{{PROJECT_NS}}}User"))
    assert [u.get("name") for u in users] == [f"Coder {n}" for n in range(1, len(users) + 1)]
    assert all(u.get("id") is None for u in users)
    assert b"Focus group 1" not in qde
    assert b"Analyst" not in qde
    assert AuditEvent.objects.filter(why__contains="pseudonymised").exists()


def test_members_download_a_codebook_that_validates(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    url = reverse("narratives:export-qdc", args=[nw.project.pk, nw.codebook.pk])
    response = client_as(Persona.ANALYST).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="inductive.qdc"'
    assert codebook_errors(response.content) == []
    assert b"Feeling unsafe" in response.content
    assert client_as(Persona.P1).get(url).status_code == 404


def test_an_empty_codebook_is_explained_not_downloaded(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    empty = services.create_codebook(
        Actor(world.users[Persona.ANALYST], "analyst"), nw.project, "Empty"
    )
    url = reverse("narratives:export-qdc", args=[nw.project.pk, empty.pk])
    response = client_as(Persona.ANALYST).get(url)
    assert response.status_code == 200
    assert "An empty codebook cannot be exported" in response.content.decode()


def test_a_codebook_of_another_project_is_not_found(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    other = services.create_project(
        Actor(world.users[Persona.KEY_WORKER], "key_worker"), name="Other", purpose="research"
    )
    foreign = services.create_codebook(
        Actor(world.users[Persona.KEY_WORKER], "key_worker"), other, "Theirs"
    )
    url = reverse("narratives:export-qdc", args=[nw.project.pk, foreign.pk])
    assert client_as(Persona.ANALYST).get(url).status_code == 404


# Import --------------------------------------------------------------------------------------


def test_a_project_export_imports_back_as_a_new_project(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    data = refi.export_qdpx(nw.project)
    response = _import(client_as(Persona.ANALYST), data, name="Copy of the ward stories")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported: Copy of the ward stories" in page
    copy = NarrativeProject.objects.get(name="Copy of the ward stories")
    assert copy.members.get().user == world.users[Persona.ANALYST]
    assert copy.members.get().role == AnalystRole.LEAD
    assert Source.objects.filter(project=copy).count() == 2
    assert Selection.objects.filter(source__project=copy).count() == 1
    assert "2 texts" in page
    assert "1 coded unit" in page


def test_what_could_not_be_imported_is_reported(client_as: ClientAs, world: World) -> None:
    qde = _foreign_qde(extra_sources=f'<PDFSource guid="{uuid.uuid4()}" name="Scan" path="x"/>')
    data = _zip({"project.qde": qde.encode(), f"sources/{SOURCE_GUID}.txt": b"Hope lives."})
    response = _import(client_as(Persona.ANALYST), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "What could not be imported as it was" in page
    assert "skipped a PDFSource (only text sources are imported)" in page
    imported = NarrativeProject.objects.get(name="Foreign study")
    assert Coding.objects.filter(selection__source__project=imported).count() == 1


def test_only_staff_import_projects(client_as: ClientAs) -> None:
    url = reverse("narratives:import-project")
    assert client_as(Persona.P1).get(url).status_code == 404
    assert client_as(Persona.FAMILY).get(url).status_code == 404
    assert client_as(Persona.KEY_WORKER).get(url).status_code == 200


def _path_traversal() -> bytes:
    qde = _foreign_qde().encode()
    return _zip(
        {
            "project.qde": qde,
            f"sources/{SOURCE_GUID}.txt": b"Hope lives.",
            "../../evil.txt": b"owned",
        }
    )


def _billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    qde = _foreign_qde(prolog=f"<!DOCTYPE Project [{entities}]>", description="&lol9;")
    return _zip({"project.qde": qde.encode(), f"sources/{SOURCE_GUID}.txt": b"Hope lives."})


def _external_entity() -> bytes:
    qde = _foreign_qde(
        prolog='<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>', description="&x;"
    )
    return _zip({"project.qde": qde.encode(), f"sources/{SOURCE_GUID}.txt": b"Hope lives."})


def _zip_bomb() -> bytes:
    return _zip({"project.qde": _foreign_qde().encode(), "sources/big.txt": bytes(4_000_000)})


HOSTILE = {
    "path traversal": (_path_traversal, "names a file outside itself (../../evil.txt)"),
    "billion laughs": (_billion_laughs, "not readable XML"),
    "external entity": (_external_entity, "not readable XML"),
    "malformed xml": (
        lambda: _zip({"project.qde": b"<Project><oops", "sources/a.txt": b"x"}),
        "not readable XML",
    ),
    "zip bomb": (_zip_bomb, "unpacks to far more than a project needs"),
    "not a zip": (lambda: b"just some text", "This is not a REFI-QDA project file"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_project_files_are_refused_and_nothing_is_written(
    kind: str, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    build, message = HOSTILE[kind]
    before = _counts()
    response = _import(client_as(Persona.ANALYST), build())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page
    assert message in page.replace("&#x27;", "'")
    assert _counts() == before


def test_an_oversized_file_is_refused(nw: NarrativesWorld, client_as: ClientAs) -> None:
    before = _counts()
    response = _import(client_as(Persona.ANALYST), bytes(25 * 1024 * 1024 + 1))
    assert response.status_code == 200
    assert "This file is too large: at most 25 MB." in response.content.decode()
    assert _counts() == before


def test_a_lead_imports_a_codebook_into_the_project(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    qdc = refi.export_qdc(nw.codebook)
    url = reverse("narratives:import-codebook", args=[nw.project.pk])
    response = client_as(Persona.ANALYST).post(
        url, {"file": _upload(qdc, "book.qdc"), "name": "From NVivo"}
    )
    assert response.status_code == 200
    assert "Imported From NVivo with 1 code" in response.content.decode()
    imported = Codebook.objects.get(project=nw.project, name="From NVivo")
    assert list(imported.codes.values_list("name", flat=True)) == ["Feeling unsafe"]


def test_a_qualcoder_codebook_with_an_origin_imports_without_a_warning(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    from tests.test_narratives_refi import QUALCODER_QDC

    url = reverse("narratives:import-codebook", args=[nw.project.pk])
    response = client_as(Persona.ANALYST).post(
        url, {"file": _upload(QUALCODER_QDC, "qualcoder.qdc"), "name": "From QualCoder"}
    )
    page = response.content.decode()
    assert "Imported From QualCoder with 2 codes" in page
    assert "What could not be imported as it was" not in page
    assert "does not validate" not in page
    hope = Code.objects.get(codebook__project=nw.project, name="Hope")
    assert hope.color == "#f5a623"
    assert hope.children.get().name == "Small steps"


def test_a_foreign_codebook_reports_what_was_adjusted(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    qdc = b'<CodeBook><Codes><Code guid="a" name="Hope" isCodable="true"/></Codes></CodeBook>'
    url = reverse("narratives:import-codebook", args=[nw.project.pk])
    response = client_as(Persona.ANALYST).post(url, {"file": _upload(qdc, "x.qdc")})
    page = response.content.decode()
    assert "the codebook uses another namespace; read by element names" in page
    assert Code.objects.filter(codebook__project=nw.project, name="Hope").exists()


def test_hostile_codebooks_are_refused_and_nothing_is_written(
    nw: NarrativesWorld, client_as: ClientAs
) -> None:
    url = reverse("narratives:import-codebook", args=[nw.project.pk])
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<CodeBook><Codes><Code guid="a" name="&b;" isCodable="true"/></Codes></CodeBook>'
    )
    before = _counts()
    for data in (laughs, b"<CodeBook><Codes>", b"\x00\x01 not xml"):
        response = client_as(Persona.ANALYST).post(url, {"file": _upload(data, "x.qdc")})
        assert response.status_code == 200
        assert "This is not a readable codebook file (.qdc)." in response.content.decode()
    assert _counts() == before


def test_only_leads_import_codebooks(
    world: World, nw: NarrativesWorld, client_as: ClientAs
) -> None:
    make_analysts(world.users[Persona.KEY_WORKER], unit=world.ward)
    services.add_member(
        Actor(world.users[Persona.ANALYST], "analyst"),
        nw.project,
        world.users[Persona.KEY_WORKER],
        AnalystRole.CODER,
    )
    url = reverse("narratives:import-codebook", args=[nw.project.pk])
    assert client_as(Persona.KEY_WORKER).get(url).status_code == 404
    assert client_as(Persona.P2).get(url).status_code == 404
    assert client_as(Persona.ANALYST).get(url).status_code == 200
