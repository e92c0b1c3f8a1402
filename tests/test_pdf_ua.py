"""The plan, the pocket crisis card and the handover summary are PDF/UA-1: tagged (MarkInfo,
StructTreeRoot), with a language, the title shown, the PDF/UA identification in the XMP
metadata, and the card icons carry their label as alternative text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from alongside import access
from alongside.audit.log import Actor
from alongside.discharge import handover
from alongside.discharge.defaults import sync_default_items
from alongside.discharge.pdf import render_handover_pdf
from alongside.discharge.queries import focus_stay
from alongside.organisations.models import Role
from alongside.plans.pdf import render_plan_pdf
from alongside.plans.queries import plan_for
from alongside.safety.card import render_crisis_card
from tests.personas import Persona, World
from tests.test_plan_pdf import fill_plan


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    sync_default_items()


def _alt_texts(node: object, found: list[str]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, DictionaryObject):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            _alt_texts(kid, found)


def assert_pdf_ua(data: bytes, language: str) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith(language)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp
    assert ">1<" in xmp.split("pdfuaid:part")[1][:20] or 'pdfuaid:part="1"' in xmp
    assert reader.metadata is not None
    assert reader.metadata.title
    alts: list[str] = []
    _alt_texts(root["/StructTreeRoot"], alts)
    return alts


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_plan_pdf_is_pdf_ua_with_alt_text_on_icons(world: World, language: str) -> None:
    fill_plan(world)
    grant = access.resolve_access(world.users[Persona.P1], world.p1.pk)
    assert grant is not None
    alts = assert_pdf_ua(render_plan_pdf(plan_for(grant), language), language)
    expected = {"en": {"The sea", "Playing music"}, "ja": {"海", "音楽を演奏する"}}[language]
    assert expected <= set(alts), alts


def test_the_pocket_card_is_pdf_ua(world: World) -> None:
    assert_pdf_ua(render_crisis_card(world.p1, world.crisis_version, "da"), "da")


def test_the_handover_pdf_is_pdf_ua(world: World) -> None:
    stay = focus_stay(world.p1)
    assert stay is not None
    summary = handover.draft_summary(Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER), stay)
    summary = handover.approve(
        Actor(world.users[Persona.P1], "person"), summary, version=summary.version
    )
    assert_pdf_ua(render_handover_pdf(summary, "en"), "en")


def test_the_card_of_codes_is_pdf_ua(world: World) -> None:
    from alongside.network.card_pdf import render_card
    from alongside.network.cards import issue_card

    card, codes = issue_card(Actor(world.users[Persona.P1], "person"), world.p1, in_person=False)
    assert_pdf_ua(render_card(card, codes, "ja"), "ja")
