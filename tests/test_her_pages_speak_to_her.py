"""Her own pages speak to her ("you", "your words") and use plain words, in en, da and ja.

A sample of the person's pages is read in all three languages and searched for the third-person
and jargon phrases issue 16 found; the same phrases stay on staff pages where they belong.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.plans import services as plans
from alongside.plans.models import Stance
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = pytest.mark.django_db

# Third person about her, and jargon, in each language (the catalogues' old wordings included).
BANNED = {
    "en": [
        "In their own words",
        "Their view",
        "the person themself",
        "Goals in their own words",
        "check-ins",
        "Check-ins",
        "debrief",
        "Debrief",
        "Empowerment",
        "themselves",
    ],
    "da": [
        "Med deres egne ord",
        "Deres syn",
        "personen selv",
        "Recovery-plan",
        "recovery-plan",
        "check-ins",
        "Check-ins",
        "eftersamtale",
        "Eftersamtale",
        "Empowerment",
    ],
    "ja": [
        "本人の言葉で",
        "本人の考え",
        "本人自身",
        "（本人）",
        "エンパワメント",
        "リカバリープラン",
        "わたしのチェックイン",
        "デブリーフィング",
    ],
}


def her_pages(world: World) -> list[str]:
    p1 = world.p1.pk
    return [
        reverse("portal:me"),
        reverse("plans:plan", kwargs={"person_id": p1}),
        reverse("plans:goal", kwargs={"person_id": p1, "goal_id": world.service_goal.pk}),
        reverse("plans:goal", kwargs={"person_id": p1, "goal_id": world.own_goal.pk}),
        reverse("plans:cards", kwargs={"person_id": p1}),
        reverse("network:network", kwargs={"person_id": p1}),
        reverse("network:invite_supporter", kwargs={"person_id": p1}),
        reverse("portal:record_log"),
        reverse("measures:home", kwargs={"person_id": p1}),
    ]


def visible_text(response: object) -> str:
    content: str = response.content.decode()  # type: ignore[attr-defined]
    content = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


@pytest.mark.parametrize("language", ["en", "da", "ja"])
def test_her_pages_speak_to_her_in_plain_words(
    world: World, client_as: ClientAs, language: str
) -> None:
    plans.record_stance(
        Actor(world.users[Persona.P1], "person"), world.service_goal, stance=Stance.NOT_NOW
    )
    client = client_as(Persona.P1)
    client.post(reverse("accounts:language"), {"language": language, "next": "/"})
    for url in her_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        shown = visible_text(response)
        for phrase in BANNED[language]:
            assert phrase not in shown, f"{phrase!r} on {url} in {language}"


def test_staff_pages_keep_the_third_person(world: World, client_as: ClientAs) -> None:
    url = reverse("plans:plan", kwargs={"person_id": world.p1.pk})
    staff = visible_text(client_as(Persona.KEY_WORKER).get(url))
    assert "In their own words" in staff
    mine = visible_text(client_as(Persona.P1).get(url))
    assert "In your own words" in mine


def every_page_she_reads(world: World) -> list[str]:
    """Every page in the access matrix that answers her 200 to a GET: computed, not listed."""
    from tests.access_matrix import ALSO, MATRIX

    pages = []
    for name, declaration in [*MATRIX.items(), *ALSO]:
        if declaration.method != "get" or declaration.expected.get(Persona.P1) != 200:
            continue
        pages.append(reverse(name, kwargs=declaration.kwargs(world)))
    return sorted(set(pages))


@pytest.mark.parametrize("language", ["en", "da", "ja"])
def test_every_page_she_reads_speaks_plainly(
    world: World, client_as: ClientAs, language: str
) -> None:
    client = client_as(Persona.P1)
    client.post(reverse("accounts:language"), {"language": language, "next": "/"})
    pages = every_page_she_reads(world)
    assert len(pages) > 40
    found = []
    read = 0
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        shown = visible_text(response)
        found += [
            f"{phrase!r} on {url}: ...{shown[max(0, at - 60) : at + 60]}..."
            for phrase in BANNED[language]
            if (at := shown.find(phrase)) >= 0
        ]
    assert read > 30
    assert not found, "\n".join(found)
