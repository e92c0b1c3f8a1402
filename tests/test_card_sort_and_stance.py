"""A new card sort starts from the last one and keeps what she did not move; the stance form
never answers for her."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.plans import services
from alongside.plans.models import CardSort, DeckCard, GoalStance, Pile, Stance
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]

# Ask for the test database here too: pytest-django sets it up only for tests that name it, and
# ``world`` asks for it only once the test runs.
pytestmark = pytest.mark.django_db


class FormState(HTMLParser):
    """What a browser would send for the card-sort form, as it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "card-sort" in (a.get("class") or "") and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name") or ""
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") == "radio":
                if "checked" in a:
                    self.values[name] = a.get("value") or ""
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def shown_form(client: Client, url: str) -> dict[str, str]:
    parser = FormState()
    parser.feed(client.get(url).content.decode())
    return parser.values


def placements(person_id: int) -> set[tuple[int, str, str]]:
    sort = CardSort.objects.filter(person_id=person_id).order_by("-created_at", "-pk").first()
    assert sort is not None
    return {(p.card_id or 0, p.own_label, p.pile) for p in sort.placements.all()}


def test_sorting_again_starts_from_the_last_sort_and_keeps_what_was_not_moved(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.P1)
    url = reverse("plans:cards", kwargs={"person_id": world.p1.pk})
    deck = list(DeckCard.objects.filter(active=True, organisation=None).order_by("position")[:9])
    assert len(deck) == 9
    piles = [Pile.A_LOT, Pile.SOMEWHAT, Pile.NOT_NOW]
    first = {f"card-{card.pk}": piles[i % 3].value for i, card in enumerate(deck)}
    first.update({"own-0": "My bike", "own-0-pile": "a_lot"})
    assert client.post(url, first).status_code == 302
    before = placements(world.p1.pk)
    assert len(before) == 10

    # The page opens with every card where she put it, her own card included.
    state = shown_form(client, url)
    for card in deck:
        assert state[f"card-{card.pk}"] == first[f"card-{card.pk}"]
    assert state["own-0"] == "My bike"
    assert state["own-0-pile"] == "a_lot"

    # She moves two cards and saves; the other eight placements survive.
    state[f"card-{deck[0].pk}"] = "not_now"
    state[f"card-{deck[1].pk}"] = "a_lot"
    assert client.post(url, state).status_code == 302
    after = placements(world.p1.pk)
    assert len(after) == 10
    moved = {(deck[0].pk, "", "not_now"), (deck[1].pk, "", "a_lot")}
    assert moved <= after
    assert before - after == {(deck[0].pk, "", "a_lot"), (deck[1].pk, "", "somewhat")}
    assert (0, "My bike", "a_lot") in after

    # The second time round too: nothing moved, nothing lost.
    assert client.post(url, shown_form(client, url)).status_code == 302
    assert placements(world.p1.pk) == after
    assert CardSort.objects.filter(person=world.p1).count() == 3


def test_she_can_still_leave_a_card_out_and_take_her_own_card_away(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.P1)
    url = reverse("plans:cards", kwargs={"person_id": world.p1.pk})
    home, work = DeckCard.objects.get(code="home"), DeckCard.objects.get(code="work")
    services.sort_cards(
        Actor(world.users[Persona.P1], "person"),
        world.p1,
        [
            services.Placement(Pile.A_LOT, card_id=home.pk),
            services.Placement(Pile.SOMEWHAT, card_id=work.pk),
            services.Placement(Pile.NOT_NOW, own_label="Fishing"),
        ],
    )
    state = shown_form(client, url)
    state[f"card-{work.pk}"] = ""
    state["own-0"] = ""
    assert client.post(url, state).status_code == 302
    assert placements(world.p1.pk) == {(home.pk, "", "a_lot")}


def test_a_first_sort_starts_empty(world: World, client_as: ClientAs) -> None:
    state = shown_form(
        client_as(Persona.P2), reverse("plans:cards", kwargs={"person_id": world.p2.pk})
    )
    assert {value for name, value in state.items() if name.startswith("card-")} == {""}


def goal_url(world: World) -> str:
    return reverse(
        "plans:goal", kwargs={"person_id": world.p1.pk, "goal_id": world.service_goal.pk}
    )


def test_the_stance_form_has_no_answer_chosen_and_shows_her_current_view(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.P1)
    services.record_stance(
        Actor(world.users[Persona.P1], "person"), world.service_goal, stance=Stance.NOT_NOW
    )
    page = client.get(goal_url(world)).content.decode()
    assert "Your view now: Not now." in page
    form = page[page.index('name="stance"') : page.index("</select>", page.index('name="stance"'))]
    # Only the empty "Choose your view" option may be selected: no answer is chosen for her.
    assert re.findall(r'<option value="([^"]*)" selected', form) in ([], [""])
    # Sending the form as it is shown records nothing.
    stance_url = reverse(
        "plans:stance", kwargs={"person_id": world.p1.pk, "goal_id": world.service_goal.pk}
    )
    before = GoalStance.objects.filter(goal=world.service_goal).count()
    response = client.post(stance_url, {"stance": "", "words": ""})
    assert response.status_code == 200
    assert "Choose your view: agree, not now or disagree." in response.content.decode()
    assert GoalStance.objects.filter(goal=world.service_goal).count() == before
    client.post(stance_url, {"stance": "agree", "words": ""})
    assert "Your view now: I agree." in client.get(goal_url(world)).content.decode()
