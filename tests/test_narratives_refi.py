"""REFI-QDA exchange: every export validates; export then import keeps selections at their offsets;
the known quirks of other tools are read correctly."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from lxml import etree  # type: ignore[import-untyped]
from pytest_django.fixtures import Settings

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.narratives import refi, refi_schema, services
from alongside.narratives.models import (
    AnalystRole,
    Code,
    Codebook,
    CodeLevel,
    Memo,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
)
from alongside.narratives.starters import starter_codebook
from tests.narratives_world import make_analysts

pytestmark = pytest.mark.django_db

PROJECT = "urn:QDA-XML:project:1.0"
CODEBOOK = "urn:QDA-XML:codebook:1.0"
EXPORTS: list[tuple[str, bytes]] = []


@pytest.fixture(autouse=True)
def _validate_every_export(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Whatever a test exports is validated again here, independently, when the test ends."""
    made: list[tuple[str, bytes]] = []
    original_qdpx: Callable[..., bytes] = refi.export_qdpx
    original_qdc: Callable[..., bytes] = refi.export_qdc

    def qdpx(*args: Any, **kwargs: Any) -> bytes:
        data = original_qdpx(*args, **kwargs)
        made.append(("qdpx", data))
        return data

    def qdc(*args: Any, **kwargs: Any) -> bytes:
        data = original_qdc(*args, **kwargs)
        made.append(("qdc", data))
        return data

    monkeypatch.setattr(refi, "export_qdpx", qdpx)
    monkeypatch.setattr(refi, "export_qdc", qdc)
    yield
    project_xsd = etree.XMLSchema(etree.parse(str(refi_schema.SCHEMAS / "Project.xsd")))
    for kind, data in made:
        if kind == "qdpx":
            qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde")
            document = etree.fromstring(qde)
            assert document.tag == f"{{{PROJECT}}}Project"
            assert project_xsd.validate(document), project_xsd.error_log
        else:
            document = etree.fromstring(data)
            assert document.tag == f"{{{CODEBOOK}}}CodeBook"
            schema = refi_schema.codebook_schema()
            assert schema.validate(document), schema.error_log


@dataclass
class Studio:
    lead: User
    coder: User
    project: NarrativeProject
    inductive: Codebook
    theme: Code
    code: Code
    chime: Codebook
    crlf_source: Source
    lf_source: Source
    mixed_source: Source


CRLF_TEXT = (
    "\ufeffFacilitator: What helped?\r\nP1: Café walks, 日本 tea 😀.\r\nP2: Being heard.\r\n"
)


@pytest.fixture
def studio() -> Studio:
    lead = create_user("lead", None, display_name="Lea Lead")
    coder = create_user("coder", None, display_name="Cory Coder")
    make_analysts(lead, coder)
    act_lead, act_coder = Actor(lead, "analyst"), Actor(coder, "analyst")
    project = services.create_project(
        act_lead,
        name="Dialogue meetings 2025",
        purpose=Purpose.RESEARCH,
        description="What helps on the ward.",
        accepts_narratives=True,
    )
    services.add_member(act_lead, project, coder, AnalystRole.CODER)
    inductive = services.create_codebook(act_lead, project, "Built from the meetings")
    theme = services.add_code(
        act_lead,
        inductive,
        name="Being heard",
        level=CodeLevel.THEME,
        definition="Times a participant felt listened to.\nIncludes small gestures.",
        examples=["Someone sat down with me.", "They asked\nwhat I wanted."],
        concept_code="chime.c",
    )
    code = services.add_code(act_lead, inductive, name="Walks", level=CodeLevel.CODE, parent=theme)
    chime = starter_codebook("chime", project, actor=act_lead)
    hope = chime.codes.get(concept_code="chime.h")
    crlf_source = services.upload_transcript(
        act_coder,
        project,
        "Focus group 1",
        CRLF_TEXT.encode(),
        consent_improvement=False,
        consent_research=True,
        attributes={"speaker_role": "peer worker", "unit": "Ward A", "date": "2025-03-04"},
    )
    lf_source = services.submit_narrative(
        Actor(create_user("writer", None), "person"),
        project,
        "I walked every day.\nIt helped.",
        consent_improvement=True,
        consent_research=True,
        anonymous_to_service=True,
    )
    mixed_source = services.upload_transcript(
        act_coder,
        project,
        "Mixed line ends",
        b"one\r\ntwo\nthree\rfour\r\nfive",
        consent_improvement=False,
        consent_research=True,
    )
    text = crlf_source.text
    # A unit inside line 2, one spanning the CRLF between lines 2 and 3, one on the last line.
    walks = text.index("Café walks")
    services.code_span(act_coder, crlf_source, walks, walks + 10, "walking helps", [code, hope])
    services.code_span(
        act_coder, crlf_source, text.index("tea"), text.index("Being") + 5, "tea and being", [theme]
    )
    services.code_span(act_lead, crlf_source, text.index("Being"), len(text), "", [theme])
    services.code_span(act_coder, lf_source, 0, 19, "daily walks", [code])
    services.code_span(act_coder, mixed_source, 4, 18, "across three kinds", [theme])
    services.add_memo(act_lead, project, "Start with the ward's own words.")
    services.add_memo(act_coder, project, "Keep walks narrow.", code=code)
    services.add_memo(act_coder, project, "Long silence after P2.", source=crlf_source)
    return Studio(
        lead, coder, project, inductive, theme, code, chime, crlf_source, lf_source, mixed_source
    )


def _qde(data: bytes) -> Any:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))


def _selections(project: NarrativeProject) -> dict[str, set[tuple[Any, ...]]]:
    result: dict[str, set[tuple[Any, ...]]] = {}
    for source in Source.objects.filter(project=project):
        result[str(source.guid)] = {
            (
                str(s.guid),
                s.start,
                s.end,
                s.condensed,
                s.coder_id,
                str(s.coder_guid),
                frozenset(str(g) for g in s.codings.values_list("code__guid", flat=True)),
            )
            for s in Selection.objects.filter(source=source)
        }
    return result


# Validation ----------------------------------------------------------------------------------


def test_the_project_export_validates(studio: Studio) -> None:
    data = refi.export_qdpx(studio.project)
    assert refi_schema.project_errors(zipfile.ZipFile(io.BytesIO(data)).read("project.qde")) == []


def test_an_empty_project_exports_valid_xml() -> None:
    lead = create_user("solo", None)
    project = services.create_project(
        Actor(lead, "analyst"), name="Nothing yet", purpose=Purpose.IMPROVEMENT
    )
    root = _qde(refi.export_qdpx(project))
    assert root.get("name") == "Nothing yet"


@pytest.mark.parametrize("framework", ["chime", "practice", "recovery"])
def test_every_starter_codebook_exports_a_valid_qdc(framework: str) -> None:
    data = refi.export_qdc(starter_codebook(framework))
    assert refi_schema.codebook_errors(data) == []


def test_an_empty_codebook_is_not_exported(studio: Studio) -> None:
    empty = services.create_codebook(Actor(studio.lead, "analyst"), studio.project, "Empty")
    with pytest.raises(ValidationError):
        refi.export_qdc(empty)


def test_the_schemas_have_teeth(studio: Studio) -> None:
    qde = zipfile.ZipFile(io.BytesIO(refi.export_qdpx(studio.project))).read("project.qde")
    broken = qde.replace(b'isCodable="true"', b"", 1)
    assert refi_schema.project_errors(broken)
    qdc = refi.export_qdc(studio.inductive)
    assert refi_schema.codebook_errors(qdc.replace(b'isCodable="true"', b"", 1))
    assert refi_schema.codebook_errors(qdc.replace(CODEBOOK.encode(), PROJECT.encode()))


QUALCODER_QDC = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder 3.5">
<Codes>
<Code guid="0b6c7a3e-5d1f-4a8e-9c2b-7e1d3f5a9b10" name="Hope" isCodable="true" color="#F5A623">
<Description>Believing things can get better</Description>
<Code guid="{1c7d8b4f-6e2a-4b9f-8d3c-8f2e4a6b0c21}" name="Small steps" isCodable="true"/>
</Code>
</Codes>
<Sets>
<Set guid="2d8e9c5a-7f3b-4cae-9e4d-9a3f5b7c1d32" name="Recovery">
<MemberCode guid="0b6c7a3e-5d1f-4a8e-9c2b-7e1d3f5a9b10"/>
</Set>
</Sets>
</CodeBook>
"""


def test_the_official_codebook_schema_is_vendored_unchanged() -> None:
    import hashlib

    vendored = (refi_schema.SCHEMAS / "Codebook.xsd").read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == (
        "bc4706a6fdb736cc3248de1753366f2b1f5b13e6828d319cea2874deb7e61b52"
    )


def test_a_qualcoder_codebook_with_an_origin_is_valid(studio: Studio) -> None:
    assert refi_schema.codebook_errors(QUALCODER_QDC) == []
    codes, messages = refi.read_qdc(QUALCODER_QDC)
    assert messages == []
    assert [(c.name, c.color) for c in codes] == [("Hope", "#f5a623"), ("Small steps", "")]


def test_only_a_lead_exports_and_the_export_is_audited(studio: Studio) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        refi.export_qdpx(studio.project, actor=Actor(studio.coder, "analyst"))
    refi.export_qdpx(studio.project, actor=Actor(studio.lead, "analyst"))
    event = AuditEvent.objects.filter(why__startswith="narratives: exported").get()
    assert event.actor_id == studio.lead.pk


# What the export holds -----------------------------------------------------------------------


def test_selections_count_code_points_of_the_crlf_file_without_the_bom(studio: Studio) -> None:
    data = refi.export_qdpx(studio.project)
    archive = zipfile.ZipFile(io.BytesIO(data))
    raw = archive.read(f"sources/{studio.crlf_source.guid}.txt")
    assert not raw.startswith(b"\xef\xbb\xbf")
    file_text = raw.decode("utf-8")
    assert file_text == CRLF_TEXT[1:]  # the uploaded text, CRLF kept, BOM not
    ns = {"q": PROJECT}
    source = _qde(data).find(f"q:Sources/q:TextSource[@guid='{studio.crlf_source.guid}']", ns)
    spans = {
        selection.findtext("q:Description", "", ns): (
            int(selection.get("startPosition")),
            int(selection.get("endPosition")),
        )
        for selection in source.findall("q:PlainTextSelection", ns)
    }
    start, end = spans["walking helps"]
    # "Facilitator: What helped?" is 25 code points, then CRLF (2): line 2 starts at 27.
    assert start == 27 + len("P1: ")
    assert file_text[start:end] == "Café walks"
    start, end = spans["tea and being"]
    assert file_text[start:end] == "tea 😀.\r\nP2: Being"
    start, end = spans[""]
    assert file_text[start:end] == "Being heard.\r\n"
    assert end == len(file_text)


def test_the_export_carries_what_refi_has_no_field_for(studio: Studio) -> None:
    root = _qde(refi.export_qdpx(studio.project))
    ns = {"q": PROJECT}
    theme = root.find(f".//q:Code[@guid='{studio.theme.guid}']", ns)
    assert theme.findtext("q:Description", "", ns) == (
        "Times a participant felt listened to.\nIncludes small gestures.\n\n"
        "Examples:\n- Someone sat down with me.\n- They asked\n  what I wanted.\n\n"
        "Level: theme\nConcept: chime.c"
    )
    assert [s.get("name") for s in root.findall("q:Sets/q:Set", ns)] == [
        "Built from the meetings",
        "CHIME recovery processes",
    ]
    variables = {
        v.get("name"): v.get("typeOfVariable") for v in root.iter(f"{{{PROJECT}}}Variable")
    }
    assert variables == {
        "source_kind": "Text",
        "date": "Date",
        "speaker_role": "Text",
        "unit": "Text",
    }
    assert len(root.findall("q:Notes/q:Note", ns)) == 3
    assert len(root.findall("q:NoteRef", ns)) == 1


def test_an_anonymous_narrative_leaves_no_trace_of_its_writer(studio: Studio) -> None:
    root = _qde(refi.export_qdpx(studio.project))
    ns = {"q": PROJECT}
    narrative = root.find(f"q:Sources/q:TextSource[@guid='{studio.lf_source.guid}']", ns)
    assert narrative.get("creatingUser") is None
    writer_guid = str(services.user_guid(studio.lf_source.submitted_by_id))
    assert writer_guid.encode() not in etree.tostring(root)


# Round trip ----------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_selections_at_the_same_offsets(
    studio: Studio,
) -> None:
    data = refi.export_qdpx(studio.project)
    imported = refi.import_qdpx(data, actor=Actor(studio.lead, "analyst"))
    assert imported.pk != studio.project.pk
    assert _selections(imported) == _selections(studio.project)

    for original in Source.objects.filter(project=studio.project):
        copy = Source.objects.get(project=imported, guid=original.guid)
        assert copy.text == original.text
        assert copy.newline_style == original.newline_style
        assert copy.newline_exceptions == original.newline_exceptions
        assert copy.line_endings.original_text() == original.line_endings.original_text()
        assert copy.attributes == original.attributes
        assert copy.kind == original.kind
        assert copy.consent_research is True
        assert copy.submitted_by == studio.lead

    codes = {c.guid: c for c in Code.objects.filter(codebook__project=imported)}
    for original_code in Code.objects.filter(codebook__project=studio.project):
        copy_code = codes[original_code.guid]
        assert (copy_code.name, copy_code.level, copy_code.concept_code) == (
            original_code.name,
            original_code.level,
            original_code.concept_code,
        )
        assert copy_code.definition == original_code.definition
        assert copy_code.examples == original_code.examples
        assert (copy_code.parent.guid if copy_code.parent else None) == (
            original_code.parent.guid if original_code.parent else None
        )
    assert list(imported.codebooks.values_list("name", "origin")) == list(
        studio.project.codebooks.values_list("name", "origin")
    )
    assert sorted(Memo.objects.filter(project=imported).values_list("target", "text")) == sorted(
        Memo.objects.filter(project=studio.project).values_list("target", "text")
    )
    assert imported.members.get(user=studio.lead).role == AnalystRole.LEAD


def test_a_second_round_trip_writes_the_same_files(studio: Studio) -> None:
    first = refi.export_qdpx(studio.project)
    again = refi.export_qdpx(refi.import_qdpx(first, actor=Actor(studio.lead, "analyst")))
    one, two = zipfile.ZipFile(io.BytesIO(first)), zipfile.ZipFile(io.BytesIO(again))
    sources = sorted(n for n in one.namelist() if n.startswith("sources/"))
    assert sources == sorted(n for n in two.namelist() if n.startswith("sources/"))
    for name in sources:
        assert one.read(name) == two.read(name)

    def spans(data: bytes) -> set[tuple[str | None, ...]]:
        return {
            (s.get("guid"), s.get("startPosition"), s.get("endPosition"))
            for s in _qde(data).iter(f"{{{PROJECT}}}PlainTextSelection")
        }

    assert spans(first) == spans(again)


def test_coders_map_back_only_within_the_installation_that_exported_them(
    studio: Studio, settings: Settings
) -> None:
    data = refi.export_qdpx(studio.project)
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    imported = refi.import_qdpx(data, actor=Actor(studio.lead, "analyst"))
    units = Selection.objects.filter(source__project=imported)
    assert not units.filter(coder__isnull=False).exists()
    original = Selection.objects.filter(source__project=studio.project, coder=studio.coder).first()
    assert original is not None
    kept = units.get(guid=original.guid)
    assert (kept.coder_guid, kept.coder_name) == (original.coder_guid, "Cory Coder")


def test_lf_export_writes_normalised_text_and_offsets(studio: Studio) -> None:
    data = refi.export_qdpx(studio.project, line_endings="lf")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read(f"sources/{studio.crlf_source.guid}.txt").decode() == (
        studio.crlf_source.text
    )
    imported = refi.import_qdpx(data, actor=Actor(studio.lead, "analyst"))
    assert _selections(imported) == _selections(studio.project)


def test_codebook_round_trip_through_qdc(studio: Studio) -> None:
    data = refi.export_qdc(studio.inductive)
    codebook = refi.import_qdc(data, actor=Actor(studio.coder, "analyst"), project=studio.project)
    pairs = [
        (c.name, c.level, c.definition, c.examples, c.concept_code, c.parent and c.parent.name)
        for c in codebook.codes.order_by("pk")
    ]
    assert pairs == [
        (
            "Being heard",
            CodeLevel.THEME,
            studio.theme.definition,
            studio.theme.examples,
            "chime.c",
            None,
        ),
        ("Walks", CodeLevel.CODE, "", [], "", "Being heard"),
    ]


# Quirks of other tools -----------------------------------------------------------------------


def _qdpx(qde: str, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", qde.encode())
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


SOURCE_GUID = "11111111-1111-4111-8111-111111111111"
CODE_GUID = "22222222-2222-4222-8222-222222222222"


def _foreign_qde(
    selections: str, *, origin: str = "Other tool", namespace: bool = True, source_codings: str = ""
) -> str:
    xmlns = f' xmlns="{PROJECT}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>'
        f'<Project{xmlns} name="Foreign" origin="{origin}">'
        f'<CodeBook><Codes><Code guid="{CODE_GUID}" name="Hope" isCodable="true">'
        f"<Description>Looking forward.</Description></Code></Codes></CodeBook>"
        f'<Sources><TextSource guid="{SOURCE_GUID}" name="Interview" '
        f'plainTextPath="internal://{SOURCE_GUID}.txt">{selections}{source_codings}'
        f"</TextSource></Sources></Project>"
    )


def _selection(start: int, end: int, *, coded: bool = True, guid: str | None = None) -> str:
    coding = (
        f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{CODE_GUID}"/></Coding>'
        if coded
        else ""
    )
    return (
        f'<PlainTextSelection guid="{guid or uuid.uuid4()}" startPosition="{start}" '
        f'endPosition="{end}">{coding}</PlainTextSelection>'
    )


@pytest.fixture
def importer() -> Actor:
    return Actor(create_user("importer", None), "analyst")


def _spans(project: NarrativeProject) -> list[tuple[str, int]]:
    source = Source.objects.get(project=project)
    return [
        (source.text[s.start : s.end], s.codings.count())
        for s in Selection.objects.filter(source=source).order_by("start")
    ]


def test_nvivo_sources_folder_with_a_capital_s(importer: Actor) -> None:
    data = _qdpx(_foreign_qde(_selection(0, 4)), {f"Sources/{SOURCE_GUID}.txt": b"Hope lives."})
    result = refi.import_qdpx_report(data, actor=importer)
    assert _spans(result.project) == [("Hope", 1)]
    assert any("Sources/" in m for m in result.messages)


def test_qualcoder_bom_is_not_counted(importer: Actor) -> None:
    data = _qdpx(
        _foreign_qde(_selection(5, 10)),
        {f"sources/{SOURCE_GUID}.txt": "\ufeffHope lives.".encode()},
    )
    project = refi.import_qdpx(data, actor=importer)
    assert _spans(project) == [("lives", 1)]
    assert Source.objects.get(project=project).had_bom is True


ATLAS_TEXT = b"ab\r\ncd\r\nef"  # normalised: "ab\ncd\nef", 8 code points; with CRLF as 2: 10


def test_atlas_ti_counts_crlf_as_one_detected_from_a_split_pair(importer: Actor) -> None:
    # "cd" is [3, 5) counting CRLF once. Read the spec's way, 3 would fall between CR and LF.
    data = _qdpx(_foreign_qde(_selection(3, 5)), {f"sources/{SOURCE_GUID}.txt": ATLAS_TEXT})
    result = refi.import_qdpx_report(data, actor=importer)
    assert _spans(result.project) == [("cd", 1)]
    assert any("CRLF counted as one" in m for m in result.messages)


def test_atlas_ti_origin_decides_when_the_offsets_alone_cannot(importer: Actor) -> None:
    # "ef" is [6, 8) counting CRLF once; read the spec's way it would be the newline and "e".
    files = {f"sources/{SOURCE_GUID}.txt": ATLAS_TEXT}
    from_atlas = _qdpx(_foreign_qde(_selection(6, 8), origin="ATLAS.ti 24.1"), files)
    assert _spans(refi.import_qdpx(from_atlas, actor=importer)) == [("ef", 1)]
    forced = _qdpx(_foreign_qde(_selection(6, 8)), files)
    assert _spans(refi.import_qdpx(forced, actor=importer, crlf_counting="one")) == [("ef", 1)]


def test_spec_counting_wins_when_an_offset_needs_it(importer: Actor) -> None:
    # "ef" is [8, 10) the spec's way; 10 is beyond the 8 code points CRLF-as-one would allow.
    data = _qdpx(
        _foreign_qde(_selection(8, 10), origin="ATLAS.ti 24.1"),
        {f"sources/{SOURCE_GUID}.txt": ATLAS_TEXT},
    )
    assert _spans(refi.import_qdpx(data, actor=importer)) == [("ef", 1)]


def test_maxqda_selections_without_codings_are_kept(importer: Actor) -> None:
    data = _qdpx(
        _foreign_qde(_selection(0, 4, coded=False) + _selection(5, 10)),
        {f"sources/{SOURCE_GUID}.txt": b"Hope lives."},
    )
    result = refi.import_qdpx_report(data, actor=importer)
    assert _spans(result.project) == [("Hope", 0), ("lives", 1)]
    assert any("without codes" in m for m in result.messages)


def test_a_coding_on_the_whole_source_becomes_one_unit(importer: Actor) -> None:
    coding = f'<Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{CODE_GUID}"/></Coding>'
    data = _qdpx(
        _foreign_qde("", source_codings=coding), {f"sources/{SOURCE_GUID}.txt": b"Hope lives."}
    )
    assert _spans(refi.import_qdpx(data, actor=importer)) == [("Hope lives.", 1)]


def test_files_without_a_namespace_are_read_by_element_names(importer: Actor) -> None:
    data = _qdpx(
        _foreign_qde(_selection(0, 4), namespace=False),
        {f"sources/{SOURCE_GUID}.txt": b"Hope lives."},
    )
    result = refi.import_qdpx_report(data, actor=importer)
    assert _spans(result.project) == [("Hope", 1)]
    code = Code.objects.get(codebook__project=result.project)
    assert (code.name, code.definition, code.level) == ("Hope", "Looking forward.", "theme")


def test_selections_outside_the_text_are_skipped_and_reported(importer: Actor) -> None:
    data = _qdpx(
        _foreign_qde(_selection(0, 4) + _selection(5, 99)),
        {f"sources/{SOURCE_GUID}.txt": b"Hope lives."},
    )
    result = refi.import_qdpx_report(data, actor=importer)
    assert _spans(result.project) == [("Hope", 1)]
    assert any("outside the text" in m for m in result.messages)
    assert result.project.members.get().role == AnalystRole.LEAD


def test_files_that_are_not_qdpx_are_refused(importer: Actor) -> None:
    with pytest.raises(ValidationError):
        refi.import_qdpx(b"not a zip", actor=importer)
    with pytest.raises(ValidationError):
        refi.import_qdpx(_qdpx("<oops", {}), actor=importer)
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(ValidationError):
        refi.import_qdpx(empty.getvalue(), actor=importer)


def test_xml_with_a_dtd_is_refused(importer: Actor) -> None:
    qde = _foreign_qde(_selection(0, 4)).replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0" encoding="utf-8"?>'
        '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    )
    qde = qde.replace("Looking forward.", "&x;")
    data = _qdpx(qde, {f"sources/{SOURCE_GUID}.txt": b"Hope lives."})
    with pytest.raises(ValidationError):
        refi.import_qdpx(data, actor=importer)
    assert not NarrativeProject.objects.exists()


def test_a_foreign_qdc_without_namespace(importer: Actor, studio: Studio) -> None:
    qdc = (
        b'<CodeBook><Codes><Code guid="33333333-3333-4333-8333-333333333333" name="Work" '
        b'isCodable="true"><Code guid="44444444-4444-4444-8444-444444444444" name="Paid work" '
        b'isCodable="true"/></Code></Codes></CodeBook>'
    )
    codebook = refi.import_qdc(qdc, actor=Actor(studio.coder, "analyst"), project=studio.project)
    assert list(codebook.codes.values_list("name", "level", "parent__name")) == [
        ("Work", "theme", None),
        ("Paid work", "subtheme", "Work"),
    ]
