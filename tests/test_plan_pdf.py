"""The take-home plan PDF: real WeasyPrint output, read back with pypdf."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from alongside import access
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.plans import services
from alongside.plans.models import DeckCard, Origin, Pile, Stance
from alongside.plans.pdf import PRINT_CSS, check_local, local_fetcher, render_plan_pdf
from alongside.plans.queries import plan_for
from tests.personas import Persona, World

SHARED_STORY = "Summers by the lake"  # the personas world's shared entry
PRIVATE_STORY = "The winter I told nobody about"


@dataclass(frozen=True)
class Pdf:
    text: str  # whitespace collapsed: a phrase may wrap onto the next line
    pages: int
    fonts: set[str]

    @property
    def compact(self) -> str:
        """The text without whitespace: line breaks fall anywhere in Japanese."""
        return "".join(self.text.split())


def read(data: bytes) -> Pdf:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return Pdf(text=text, pages=len(reader.pages), fonts=fonts)


def render_for(world: World, persona: Persona, language: str = "en") -> Pdf:
    grant = access.resolve_access(world.users[persona], world.p1.pk)
    assert grant is not None
    return read(render_plan_pdf(plan_for(grant), language))


def fill_plan(world: World) -> None:
    """A small, typical plan, written through the services as the person and their key worker."""
    me = Actor(world.users[Persona.P1], "person")
    key_worker = Actor(world.users[Persona.KEY_WORKER], "key_worker")
    sea = DeckCard.objects.create(
        organisation=world.hospital,
        code="test-sea",
        icon="nature",
        label_en="The sea",
        label_da="Havet",
        label_ja="海",
        position=1,
    )
    music = DeckCard.objects.create(
        organisation=world.hospital,
        code="test-music",
        icon="creativity",
        label_en="Playing music",
        label_da="At spille musik",
        label_ja="音楽を演奏する",
        position=2,
    )
    services.sort_cards(
        me,
        world.p1,
        [
            services.Placement(Pile.SOMEWHAT, card_id=music.pk),
            services.Placement(Pile.A_LOT, card_id=sea.pk),
            services.Placement(Pile.A_LOT, own_label="My bike"),
        ],
    )
    services.add_step(
        me,
        world.own_goal,
        text="Ask my sister which day suits her",
        who_helps="My sister",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    services.check_in(me, world.own_goal, score=7)
    services.record_stance(
        me, world.service_goal, stance=Stance.DISAGREE, words="Not before we talk it over"
    )
    services.add_goal(key_worker, world.p1, text="Sleep at regular times", origin=Origin.CLINICAL)
    services.add_strength(me, world.p1, kind="social", text="My sister always answers")
    services.add_story_entry(me, world.p1, kind="hard_time", title=PRIVATE_STORY, shared=False)


def test_the_person_downloads_their_plan_with_everything_in_it(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    fill_plan(world)
    response = client_as(Persona.P1).get(reverse("plans:pdf", kwargs={"person_id": world.p1.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my-plan.pdf"'
    assert "no-store" in response["Cache-Control"]
    pdf = read(response.content)
    for expected in (
        "Pia's plan",
        "The sea",
        "Playing music",
        "My bike",
        "Cook for my sister again",
        "Buy a recipe book",
        "with Key worker",
        "Ask my sister which day suits her",
        "with My sister",
        "7/10",
        "Take medication every day",
        "I disagree",
        "Not before we talk it over",
        "Sleep at regular times",
        "not given yet",
        "My sister always answers",
        SHARED_STORY,
        PRIVATE_STORY,
        "Printed on",
        "Talk to your key worker",
    ):
        assert expected in pdf.text, expected
    assert pdf.pages in (1, 2)
    assert AuditEvent.objects.filter(person_id=world.p1.pk, why__contains="plan pdf").exists()


def test_sections_come_in_order_and_what_matters_most_first(world: World) -> None:
    fill_plan(world)
    text = render_for(world, Persona.P1).text
    headings = [
        "What matters to me",
        "Matters a lot",
        "The sea",
        "Matters somewhat",
        "Playing music",
        "My goals",
        "Goals others have set",
        "My strengths",
        "My story",
        "Your plan can change",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_a_private_story_entry_stays_out_of_a_pdf_printed_by_staff(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    fill_plan(world)
    response = client_as(Persona.KEY_WORKER).get(
        reverse("plans:pdf", kwargs={"person_id": world.p1.pk})
    )
    assert response.status_code == 200
    text = read(response.content).text
    assert SHARED_STORY in text
    assert "Cook for my sister again" in text
    assert PRIVATE_STORY not in text
    assert PRIVATE_STORY in render_for(world, Persona.P1).text


def test_someone_without_access_to_the_plan_gets_404_and_no_pdf(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    fill_plan(world)
    url = reverse("plans:pdf", kwargs={"person_id": world.p1.pk})
    for persona in (Persona.OTHER_UNIT_STAFF, Persona.FAMILY, Persona.P2):
        response = client_as(persona).get(url)
        assert response.status_code == 404, persona
        assert response["Content-Type"] != "application/pdf"


def test_an_empty_plan_invites_rather_than_leaving_blanks(world: World) -> None:
    grant = access.resolve_access(world.users[Persona.P2], world.p2.pk)
    assert grant is not None
    pdf = read(render_plan_pdf(plan_for(grant), "en"))
    for invitation in (
        "Not sorted yet",
        "A goal can be big or small",
        "No one else has set a goal",
        "What are you good at?",
        "you decide what to write and who sees it",
    ):
        assert invitation in pdf.text, invitation
    assert pdf.pages == 1


def test_the_plan_prints_in_japanese_with_a_japanese_font(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    fill_plan(world)
    me = Actor(world.users[Persona.P1], "person")
    services.add_goal(me, world.p1, text="毎朝海辺を散歩する", origin=Origin.PERSON)
    pdf = render_for(world, Persona.P1, "ja")
    assert "毎朝海辺を散歩する" in pdf.compact
    assert "私の目標" in pdf.compact  # "My goals"
    assert "私にとって大切なこと" in pdf.compact  # "What matters to me"
    assert "海" in pdf.compact  # the deck card's Japanese label
    assert "音楽を演奏する" in pdf.compact
    assert "Playing music" not in pdf.text
    assert any("CJK" in font for font in pdf.fonts), pdf.fonts
    assert pdf.pages in (1, 2)

    # Through the page too: the PDF comes in the language the pages are shown in.
    response = client_as(Persona.P1).get(
        reverse("plans:pdf", kwargs={"person_id": world.p1.pk}), HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert "毎朝海辺を散歩する" in read(response.content).compact
    assert "私の目標" in read(response.content).compact


def test_deck_cards_print_in_danish_for_a_danish_plan(world: World) -> None:
    fill_plan(world)
    pdf = render_for(world, Persona.P1, "da")
    assert "Havet" in pdf.text
    assert "At spille musik" in pdf.text
    assert "Cook for my sister again" in pdf.text  # the person's words, never translated


def test_a_long_plan_still_renders(world: World) -> None:
    me = Actor(world.users[Persona.P1], "person")
    for number in range(25):
        goal = services.add_goal(me, world.p1, text=f"Goal number {number}", origin=Origin.PERSON)
        services.add_step(me, goal, text=f"Step for goal {number}", who_helps="Key worker")
    services.add_story_entry(
        me, world.p1, kind="other", title="A long chapter", text="Words. " * 500, shared=True
    )
    pdf = render_for(world, Persona.KEY_WORKER)
    assert "Goal number 24" in pdf.text
    assert "Step for goal 24" in pdf.text
    assert pdf.pages > 2


def test_the_pdf_fetches_nothing_from_the_network() -> None:
    for url in (
        "https://cdn.example.org/font.woff2",
        "http://127.0.0.1:9/anything",
        "ftp://example.org/x.css",
        "file:///etc/passwd",
        f"{PRINT_CSS.parent.as_uri()}/../../../../settings.py",
    ):
        with pytest.raises(ValueError, match="local files only"):
            check_local(url)
        with pytest.raises(ValueError, match="local files only"):
            local_fetcher().fetch(url)
    # Our own stylesheet (and anything else in the static folder) is still allowed.
    response = local_fetcher().fetch(PRINT_CSS.as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()
