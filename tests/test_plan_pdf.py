"""The plan PDF: real WeasyPrint output, its text read back with pypdf."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from alongside import access
from alongside.audit.log import Actor
from alongside.plans import services
from alongside.plans.models import DeckCard, Origin, Pile, Stance
from alongside.plans.pdf import _fetcher, check_local, render_plan_pdf
from alongside.plans.queries import plan_for
from tests.personas import Persona, World


def _text(data: bytes) -> tuple[str, int, set[str]]:
    reader = PdfReader(io.BytesIO(data))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), fonts


def _fill(world: World) -> None:
    me = Actor(world.users[Persona.P1], "person")
    services.sort_cards(
        me, world.p1, [services.Placement(Pile.A_LOT, card_id=DeckCard.objects.get(code="home").pk)]
    )
    services.check_in(me, world.own_goal, score=7)
    services.record_stance(me, world.service_goal, stance=Stance.DISAGREE, words="Too early")
    services.add_strength(me, world.p1, kind="social", text="My sister always answers")
    services.add_story_entry(me, world.p1, kind="hard_time", title="Private winter", shared=False)


def test_person_downloads_their_plan_and_its_text_is_all_there(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    _fill(world)
    response = client_as(Persona.P1).get(reverse("plans:pdf", kwargs={"person_id": world.p1.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, pages, _fonts = _text(response.content)
    for expected in (
        "Pia's plan",
        "A home",
        "Cook for my sister again",
        "Buy a recipe book",
        "7/10",
        "Take medication every day",
        "Too early",
        "My sister always answers",
        "Summers by the lake",
        "Private winter",
    ):
        assert expected in text, expected
    assert pages in (1, 2)


def test_private_story_is_left_out_of_a_pdf_printed_by_staff(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    _fill(world)
    response = client_as(Persona.KEY_WORKER).get(
        reverse("plans:pdf", kwargs={"person_id": world.p1.pk})
    )
    text, _pages, _fonts = _text(response.content)
    assert "Summers by the lake" in text
    assert "Private winter" not in text


def test_japanese_plan_renders_with_a_cjk_font(world: World) -> None:
    me = Actor(world.users[Persona.P1], "person")
    services.add_goal(me, world.p1, text="毎朝海辺を散歩する", origin=Origin.PERSON)
    request = type("Request", (), {"user": world.users[Persona.P1]})()
    grant = access.resolve_access(request.user, world.p1.pk)
    assert grant is not None
    text, _pages, fonts = _text(render_plan_pdf(plan_for(grant), "ja"))
    compact = "".join(text.split())
    assert "毎朝海辺を散歩する" in compact
    assert "私の目標" in compact
    assert any("CJK" in font for font in fonts), fonts


def test_pdf_fetches_nothing_from_the_network() -> None:
    with pytest.raises(ValueError, match="local files only"):
        check_local("https://cdn.example.org/font.woff2")
    with pytest.raises(ValueError, match="local files only"):
        check_local("file:///etc/passwd")
    with pytest.raises(ValueError, match="local files only"):
        _fetcher().fetch("http://127.0.0.1:9/anything")
