"""Uploading a transcript: consent checked first, the real file type, Word documents read whole."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.narratives import services
from alongside.narratives.models import NarrativeProject, Purpose, Source
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _docx(body: str, *, prologue: str = "") -> bytes:
    """A Word document whose body is ``body`` (WordprocessingML, ``w:`` prefix)."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document.encode())
    return out.getvalue()


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _research(world: World) -> NarrativeProject:
    return services.create_project(
        Actor(world.users[Persona.ANALYST], "analyst"), name="Study", purpose=Purpose.RESEARCH
    )


@pytest.fixture
def lead(client_as: Callable[[Persona], Client]) -> Client:
    return client_as(Persona.ANALYST)


def _upload(client: Client, project: NarrativeProject, name: str, data: bytes, **extra: str) -> str:
    response = client.post(
        reverse("narratives:upload", args=[project.pk]),
        {"name": "Group", "file": SimpleUploadedFile(name, data), **extra},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


# Consent before anything is stored ----------------------------------------------------------


def test_a_transcript_consented_only_for_improvement_is_refused_by_a_research_project(
    world: World, lead: Client
) -> None:
    project = _research(world)
    page = _upload(lead, project, "group.txt", b"We talked.", consent_improvement="on")
    assert "does not cover research" in page
    assert "Nothing was stored" in page
    assert not Source.objects.filter(project=project).exists()
    # The second time, with the right consent, it is stored and the uploader sees it.
    page = _upload(lead, project, "group.txt", b"We talked.", consent_research="on")
    source = Source.objects.get(project=project)
    assert "We talked." in page
    assert services.usable_sources(project).get() == source


def test_the_service_refuses_before_reading_the_file(world: World) -> None:
    project = _research(world)
    with pytest.raises(ValidationError, match="does not cover research"):
        services.upload_transcript(
            Actor(world.users[Persona.ANALYST], "analyst"),
            project,
            "Group",
            b"\xff not even text",
            consent_improvement=True,
            consent_research=False,
        )
    assert not Source.objects.filter(project=project).exists()


# The real file type -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("minutes.docx", b"<!DOCTYPE html><html><body><p>Hello</p></body></html>"),
        ("minutes.txt", b"  <html><body>Hello</body></html>"),
        ("minutes.docx", b"Plain text pretending to be Word."),
    ],
    ids=["html-named-docx", "html-named-txt", "text-named-docx"],
)
def test_a_file_that_is_not_what_it_says_is_refused(
    world: World, lead: Client, name: str, data: bytes
) -> None:
    project = _research(world)
    page = _upload(lead, project, name, data, consent_research="on")
    assert "neither UTF-8 text nor a Word document" in page
    assert not Source.objects.filter(project=project).exists()


def test_a_word_document_with_a_dtd_is_refused_not_cut(world: World, lead: Client) -> None:
    project = _research(world)
    data = _docx(
        _p(_r("Before &who; after")),
        prologue='<!DOCTYPE w:document [<!ENTITY who "the night nurse">]>',
    )
    page = _upload(lead, project, "group.docx", data, consent_research="on")
    assert "declares a DTD" in page
    assert not Source.objects.filter(project=project).exists()


# Word documents read from the body XML -------------------------------------------------------


def test_tracked_changes_content_controls_and_tables_are_read_and_the_uploader_told(
    world: World, lead: Client
) -> None:
    body = (
        _p(
            _r("Participant: I felt "),
            '<w:del w:id="1" w:author="Ed"><w:r><w:delText>scared</w:delText></w:r></w:del>',
            '<w:ins w:id="2" w:author="Ed">' + _r("safe") + "</w:ins>",
            _r(" at night."),
        )
        + "<w:sdt><w:sdtPr/><w:sdtContent>"
        + _p(
            _r("Facilitator: "),
            "<w:sdt><w:sdtContent>" + _r("Thank you") + "</w:sdtContent></w:sdt>",
        )
        + "</w:sdtContent></w:sdt>"
        + "<w:tbl><w:tr><w:tc>"
        + _p(_r("P2"))
        + "</w:tc><w:tc>"
        + _p(_r("Time"), "<w:r><w:tab/></w:r>", _r("outside."))
        + "</w:tc></w:tr></w:tbl>"
        + '<w:ins w:id="3" w:author="Ed">'
        + _p(_r("Added afterwards."))
        + "</w:ins>"
        + _p('<w:moveFrom w:id="4">' + _r("moved away") + "</w:moveFrom>", _r("End."))
    )
    project = _research(world)
    page = _upload(lead, project, "group.docx", _docx(body), consent_research="on")
    source = Source.objects.get(project=project)
    assert source.text == (
        "Participant: I felt safe at night.\n"
        "Facilitator: Thank you\n"
        "P2\tTime\toutside.\n"
        "Added afterwards.\n"
        "End."
    )
    assert source.tracked_changes
    assert "This document had tracked changes" in page


def test_a_word_document_without_tracked_changes_says_nothing_about_them(
    world: World, lead: Client
) -> None:
    project = _research(world)
    page = _upload(lead, project, "group.docx", _docx(_p(_r("Just words."))), consent_research="on")
    source = Source.objects.get(project=project)
    assert (source.text, source.tracked_changes) == ("Just words.", False)
    assert "tracked changes" not in page
