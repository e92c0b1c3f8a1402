"""A .qdpx round trip keeps everything the format can carry; pseudonyms are fresh per export."""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from lxml import etree  # type: ignore[import-untyped]

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.narratives import refi, reports, services
from alongside.narratives.models import (
    AnalystRole,
    Code,
    CodeLevel,
    Memo,
    NarrativeProject,
    Purpose,
    Selection,
    Source,
)
from alongside.narratives.views_exchange import pseudonymise_qdpx
from tests.narratives_world import make_analysts

pytestmark = pytest.mark.django_db

NS = {"q": "urn:QDA-XML:project:1.0"}
TEXT = "Facilitator: What helped?\r\nP1: Walking with staff.\r\nP2: Being asked, not told.\r\n"


class Study:
    def __init__(self) -> None:
        self.lead, self.ann, self.ben = (
            create_user(name, None, display_name=f"{name.title()} Analyst")
            for name in ("lead", "ann", "ben")
        )
        make_analysts(self.lead, self.ann, self.ben)
        lead = Actor(self.lead, "analyst")
        self.project = services.create_project(
            lead, name="Round trip", purpose=Purpose.RESEARCH, description="What helps."
        )
        for coder in (self.ann, self.ben):
            services.add_member(lead, self.project, coder, AnalystRole.CODER)
        book = services.create_codebook(lead, self.project, "Ours")
        theme = services.add_code(lead, book, name="Support", level=CodeLevel.THEME)
        self.walk = services.add_code(
            lead,
            book,
            name="Walking",
            level=CodeLevel.CODE,
            parent=theme,
            definition="Moving together",
            examples=["a walk"],
        )
        self.asked = services.add_code(lead, book, name="Being asked", level=CodeLevel.CODE)
        Code.objects.filter(pk=self.walk.pk).update(color="#1f77b4")
        self.source = services.upload_transcript(
            lead,
            self.project,
            "Group 1",
            TEXT.encode(),
            consent_improvement=False,
            consent_research=True,
            attributes={"speaker_role": "peer", "unit": "Ward A", "date": "2025-03-04"},
        )
        self.source.attributes["case"] = "Ward A group"
        self.source.save(update_fields=["attributes"])
        text = self.source.text
        walking = text.index("Walking")
        asked = text.index("Being asked")
        ann, ben = Actor(self.ann, "analyst"), Actor(self.ben, "analyst")
        services.code_span(ann, self.source, walking, walking + 20, "walks", [self.walk])
        services.code_span(ben, self.source, walking + 4, walking + 24, "walking", [self.walk])
        services.code_span(ann, self.source, asked, asked + 11, "asked", [self.asked])
        services.code_span(ben, self.source, 0, 12, "facilitator", [self.asked])
        services.code_span(ann, self.source, 0, 12, "", [self.walk])  # the same span, another code
        services.code_span(ben, self.source, asked, asked + 11, "", [self.asked])
        guids = [services.user_guid(self.ann.pk), services.user_guid(self.ben.pk)]
        services.merge_consensus(lead, self.source, self.walk, guids, min_coders=2)
        services.add_memo(lead, self.project, "The lead's project memo.")
        services.add_memo(ann, self.project, "Ann on walking.", code=self.walk)
        services.add_memo(ben, self.project, "Ben on the group.", source=self.source)

    @property
    def coders(self) -> list[uuid.UUID]:
        return [services.user_guid(self.ann.pk), services.user_guid(self.ben.pk)]


@pytest.fixture
def study() -> Study:
    return Study()


def snapshot(project: NarrativeProject) -> dict[str, Any]:
    """Everything about a project that the format carries, independent of database ids."""
    codes = {
        code.pk: code for code in Code.objects.filter(codebook__project=project).order_by("pk")
    }
    sources = list(Source.objects.filter(project=project).order_by("pk"))
    return {
        "name": project.name,
        "description": project.description,
        "codes": sorted(
            (
                c.name,
                c.level,
                codes[c.parent_id].name if c.parent_id else "",
                c.definition,
                tuple(c.examples),
                c.color,
                c.codebook.name,
            )
            for c in codes.values()
        ),
        "sources": [(s.name, s.text, s.kind, s.attributes, s.newline_style) for s in sources],
        "selections": sorted(
            (
                s.source.name,
                s.start,
                s.end,
                s.condensed,
                str(s.coder_guid),
                s.coder_id,
                s.coder_name,
                s.is_consensus,
                tuple(sorted(c.code.name for c in s.codings.all())),
            )
            for s in Selection.objects.filter(source__project=project)
        ),
        "memos": sorted(
            (
                m.text,
                m.target,
                m.code.name if m.code else "",
                m.source.name if m.source else "",
                m.author_id,
                m.shown_author,
            )
            for m in Memo.objects.filter(project=project)
        ),
    }


def _agreement(project: NarrativeProject, coders: list[uuid.UUID]) -> tuple[Any, Any]:
    rows = reports.agreement_table(project, coders[0], coders[1])
    return reports.weighted_kappa(rows), reports.unit_alpha(project, coders).value


def test_everything_survives_an_export_and_an_import(study: Study) -> None:
    before = snapshot(study.project)
    kappa_alpha = _agreement(study.project, study.coders)
    assert None not in kappa_alpha
    assert any(row[7] for row in before["selections"])  # a consensus unit is there
    data = refi.export_qdpx(study.project)
    copy = refi.import_qdpx(data, actor=Actor(study.lead, "analyst"), purpose=Purpose.RESEARCH)
    after = snapshot(copy)
    assert after == before
    assert _agreement(copy, study.coders) == kappa_alpha
    # And a second trip changes nothing either.
    again = refi.import_qdpx(
        refi.export_qdpx(copy), actor=Actor(study.lead, "analyst"), purpose=Purpose.RESEARCH
    )
    assert snapshot(again) == before


def test_memo_authors_who_are_not_our_users_keep_their_names(study: Study) -> None:
    data = refi.export_qdpx(study.project)
    # The same file read where Ann's account does not exist (another installation).
    other = create_user("other", None, display_name="Other")
    root = _qde(data)
    ann_guid = str(services.user_guid(study.ann.pk))
    user = root.find(f"q:Users/q:User[@guid='{ann_guid}']", NS)
    user.set("id", "elsewhere:7")
    copy = refi.import_qdpx(_with_qde(data, root), actor=Actor(other, "analyst"))
    memo = Memo.objects.get(project=copy, text="Ann on walking.")
    assert (memo.author, memo.shown_author) == (None, "Ann Analyst")
    assert Memo.objects.get(project=copy, text="Ben on the group.").author == study.ben


def test_pseudonymised_exports_carry_no_user_ids_and_fresh_pseudonyms(study: Study) -> None:
    data = refi.export_qdpx(study.project)
    first, second = pseudonymise_qdpx(data), pseudonymise_qdpx(data)
    ours = {str(g) for g in study.coders} | {
        str(services.user_guid(u.pk)) for u in (study.lead, study.ann, study.ben)
    }
    guids_first = _user_guids(first)
    guids_second = _user_guids(second)
    assert guids_first.isdisjoint(ours)
    assert guids_first.isdisjoint(guids_second)
    for pseudonymised in (first, second):
        qde = zipfile.ZipFile(io.BytesIO(pseudonymised)).read("project.qde").decode()
        assert "alongside:" + str(study.ann.pk) not in qde
        assert "Ann Analyst" not in qde
        assert all(guid not in qde for guid in ours)
    # The consensus flag survives pseudonymising; kappa and alpha are the same by pseudonym.
    copy = refi.import_qdpx(first, actor=Actor(study.lead, "analyst"))
    assert Selection.objects.filter(source__project=copy, is_consensus=True).count() == 1
    coders = sorted(
        set(
            Selection.objects.filter(source__project=copy, is_consensus=False).values_list(
                "coder_guid", flat=True
            )
        )
    )
    assert len(coders) == 2
    assert set(coders).isdisjoint(study.coders)
    # Kappa and alpha are symmetric in the two coders, so their order does not matter.
    assert _agreement(copy, coders) == _agreement(study.project, study.coders)


def test_a_hostile_plain_text_path_creates_nothing(study: Study) -> None:
    data = refi.export_qdpx(study.project)
    root = _qde(data)
    source = root.find("q:Sources/q:TextSource", NS)
    source.set("plainTextPath", "internal://../../../etc/passwd")
    before = NarrativeProject.objects.count()
    with pytest.raises(ValidationError, match="Nothing was imported"):
        refi.import_qdpx(_with_qde(data, root), actor=Actor(study.lead, "analyst"))
    source.set("plainTextPath", "file:///etc/passwd")
    with pytest.raises(ValidationError, match="Nothing was imported"):
        refi.import_qdpx(_with_qde(data, root), actor=Actor(study.lead, "analyst"))
    assert NarrativeProject.objects.count() == before


def _qde(data: bytes) -> Any:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("project.qde"))


def _with_qde(data: bytes, root: Any) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "project.qde":
                content = etree.tostring(root, xml_declaration=True, encoding="utf-8")
            archive.writestr(info.filename, content)
    return out.getvalue()


def _user_guids(data: bytes) -> set[str]:
    return {user.get("guid") for user in _qde(data).iterfind("q:Users/q:User", NS)}
