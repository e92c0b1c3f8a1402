"""Two crisis plan saves at once: every one is saved or refused with both texts shown."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from alongside.safety.models import CrisisPlanVersion
from tests.personas import Persona, World

ROUNDS = 50


def _edit_url(world: World) -> str:
    return reverse("safety:crisis_edit", kwargs={"person_id": world.p1.pk})


def _race(url: str, posts: list[tuple[Client, dict[str, object]]]) -> list[tuple[int, str]]:
    """Send the posts at the same moment, each from its own thread and database connection."""
    barrier = threading.Barrier(len(posts))
    results: list[tuple[int, str]] = [(0, "")] * len(posts)

    def send(index: int, client: Client, data: dict[str, object]) -> None:
        try:
            barrier.wait()
            response = client.post(url, data)
            results[index] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, client, data))
        for index, (client, data) in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _logged_in(world: World, persona: Persona) -> Client:
    user = world.user(persona)
    assert user is not None
    client = Client()
    client.force_login(user)
    return client


def _newest_number(world: World) -> int:
    return CrisisPlanVersion.objects.filter(person=world.p1).order_by("-number")[0].number


def test_a_save_made_meanwhile_is_refused_with_both_texts_shown(
    world: World, db: None, client_as: Callable[[Persona], Client]
) -> None:
    start = _newest_number(world)
    first = client_as(Persona.KEY_WORKER).post(
        _edit_url(world), {"early_signs": "Paces the corridor", "based_on": start}
    )
    assert first.status_code == 302
    second = client_as(Persona.P1).post(
        _edit_url(world), {"early_signs": "I go very quiet", "based_on": start}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "Paces the corridor" in page  # theirs, above
    assert "I go very quiet" in page  # mine, still in the box
    assert f'name="based_on" value="{start + 1}"' in page
    assert _newest_number(world) == start + 1
    # Saving again from the page as shown keeps the person's words as the newest version.
    again = client_as(Persona.P1).post(
        _edit_url(world), {"early_signs": "I go very quiet", "based_on": start + 1}
    )
    assert again.status_code == 302
    newest = CrisisPlanVersion.objects.get(person=world.p1, number=start + 2)
    assert newest.early_signs == "I go very quiet"


def test_the_edit_page_carries_the_version_it_started_from(
    world: World, db: None, client_as: Callable[[Persona], Client]
) -> None:
    page = client_as(Persona.P1).get(_edit_url(world)).content.decode()
    assert f'name="based_on" value="{_newest_number(world)}"' in page


def test_fifty_races_of_two_saves_each_end_saved_or_refused_with_both_texts(
    transactional_db: None, world: World
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL's row locks")
    person, staff = _logged_in(world, Persona.P1), _logged_in(world, Persona.KEY_WORKER)
    url = _edit_url(world)
    for round_ in range(ROUNDS):
        start = _newest_number(world)
        words = [f"the person, round {round_}", f"the key worker, round {round_}"]
        results = _race(
            url,
            [
                (person, {"what_helps": words[0], "based_on": start}),
                (staff, {"what_helps": words[1], "based_on": start}),
            ],
        )
        assert sorted(status for status, _page in results) == [200, 302], (round_, results)
        saved = 0 if results[0][0] == 302 else 1
        refused_page = results[1 - saved][1]
        assert words[saved] in refused_page, round_  # theirs is shown
        assert words[1 - saved] in refused_page, round_  # and mine is kept in the box
        stored = CrisisPlanVersion.objects.get(person=world.p1, number=start + 1)
        assert stored.what_helps == words[saved]
        assert _newest_number(world) == start + 1
    numbers = list(
        CrisisPlanVersion.objects.filter(person=world.p1)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))


def test_saves_without_a_starting_version_all_land_with_their_own_numbers(
    transactional_db: None, world: World
) -> None:
    """Older forms post no ``based_on``: both saves land, one after the other, never a 500."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL's row locks")
    person, staff = _logged_in(world, Persona.P1), _logged_in(world, Persona.KEY_WORKER)
    url = _edit_url(world)
    before = CrisisPlanVersion.objects.filter(person=world.p1).count()
    statuses: list[int] = []
    for round_ in range(10):
        results = _race(
            url,
            [(person, {"practical": f"mine {round_}"}), (staff, {"practical": f"theirs {round_}"})],
        )
        statuses += [status for status, _page in results]
    assert statuses == [302] * 20
    assert CrisisPlanVersion.objects.filter(person=world.p1).count() == before + 20
