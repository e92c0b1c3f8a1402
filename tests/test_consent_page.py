"""The network page tells the person the truth: it is computed from the access layer.

For every persona, and for every section, the page says "Yes" exactly where ``resolve_access``
lets that persona in, and lists nobody the access layer keeps out. The same holds in the cases
that used to lie: a peer worker on her ward with a narrow network scope, a ward nurse outside the
network, and a clinician who broke the glass.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside import access
from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.network import services as network
from alongside.network.scopes import Section
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.people.models import Person
from alongside.safety.models import BreakGlassAccess
from tests.personas import PASSWORD, Persona, World

ClientAs = Callable[[Persona], Client]

pytestmark = pytest.mark.django_db


def table(response: object) -> dict[int, dict[str, object]]:
    """The "who can see what" table: per user id, their sections marked Yes and the reasons."""
    content = html.unescape(response.content.decode())  # type: ignore[attr-defined]
    body = content[content.index('id="who-can-see"') :]
    body = body[: body.index("</table>")]
    rows: dict[int, dict[str, object]] = {}
    for user_id, row in re.findall(r'<tr data-user="(\d+)">(.*?)</tr>', body, re.S):
        yes = set(re.findall(r'data-section="(\w+)">Yes<', row))
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows[int(user_id)] = {"sections": yes, "why": cells[0], "change": cells[-1]}
    return rows


def expected(person: Person, users: list[User]) -> dict[int, set[str]]:
    out = {}
    for user in users:
        found = access.resolve_access(user, person.pk)
        if found is not None and not found.is_self:
            out[user.pk] = {s.value for s in Section if found.allows(s)}
    return out


def ward_world(world: World) -> dict[str, User]:
    """Add the cases that used to lie: a peer worker on her ward whom she gave the plan only,
    a ward nurse outside the network, and a clinician of another ward who broke the glass."""
    system = Actor.system()
    long_ago = timezone.localdate() - timedelta(days=30)
    peer = create_user("peer", PASSWORD, display_name="Jonas Peer")
    organisations.assign_role(system, peer, world.ward, Role.PEER_WORKER, started_on=long_ago)
    network.add_member(system, world.p1, peer, role=Role.PEER_WORKER, sections=[Section.PLAN])
    nurse = create_user("nurse", PASSWORD, display_name="Nina Nurse")
    organisations.assign_role(system, nurse, world.ward, Role.NURSE, started_on=long_ago)
    BreakGlassAccess.objects.create(
        person=world.p1,
        user=world.users[Persona.OTHER_UNIT_STAFF],
        role=Role.NURSE,
        reason="Found unconscious in the garden",
        expires_at=timezone.now() + timedelta(hours=12),
    )
    return {"peer": peer, "nurse": nurse}


def everyone(world: World, extra: dict[str, User]) -> list[User]:
    return [*world.users.values(), *extra.values()]


@pytest.mark.parametrize("viewer", [Persona.P1, Persona.KEY_WORKER])
@pytest.mark.parametrize("with_ward_cases", [False, True])
def test_the_page_says_what_resolve_access_does_for_every_persona_and_section(
    world: World, client_as: ClientAs, viewer: Persona, with_ward_cases: bool
) -> None:
    extra = ward_world(world) if with_ward_cases else {}
    url = reverse("network:network", kwargs={"person_id": world.p1.pk})
    shown = table(client_as(viewer).get(url))
    truth = expected(world.p1, everyone(world, extra))
    assert {user_id: row["sections"] for user_id, row in shown.items()} == truth
    # The personas who cannot see anything are not on the page.
    for persona in (Persona.P2, Persona.EXPIRED_MEMBER, Persona.ANALYST, Persona.CASEWORKER):
        user = world.users[persona]
        assert (user.pk in shown) == (access.resolve_access(user, world.p1.pk) is not None)


def test_the_ward_peer_worker_is_shown_seeing_everything_and_why(
    world: World, client_as: ClientAs
) -> None:
    extra = ward_world(world)
    url = reverse("network:network", kwargs={"person_id": world.p1.pk})
    response = client_as(Persona.P1).get(url)
    shown = table(response)
    peer = shown[extra["peer"].pk]
    assert peer["sections"] == {s.value for s in Section}
    assert "works on your ward: Peer support worker, Ward A" in str(peer["why"])
    assert "in your network: Peer support worker" in str(peer["why"])
    assert peer["change"] == "Not while the stay lasts"
    nurse = shown[extra["nurse"].pk]
    assert nurse["why"] == "works on your ward: Nurse, Ward A"
    assert nurse["change"] == "No"
    emergency = shown[world.users[Persona.OTHER_UNIT_STAFF].pk]
    assert emergency["sections"] == {"crisis_plan"}
    assert "emergency, reason: Found unconscious in the garden" in str(emergency["why"])
    assert shown[world.users[Persona.KEY_WORKER].pk]["why"].startswith(  # type: ignore[union-attr]
        "your key worker"
    )
    caseworker = shown[world.users[Persona.CASEWORKER].pk]
    assert caseworker["change"] == "Yes, below"
    text = " ".join(html.unescape(response.content.decode()).split())
    assert "Jonas Peer can see everything." in text
    assert "Jonas Peer also works where you stay" in text
    assert "You cannot narrow what they see" in text


def test_the_page_follows_access_when_it_changes(world: World, client_as: ClientAs) -> None:
    """The second time round: widen, end, break the glass; the page follows each time."""
    url = reverse("network:network", kwargs={"person_id": world.p1.pk})
    client = client_as(Persona.P1)
    caseworker = world.users[Persona.CASEWORKER]
    network.set_sections(
        Actor(world.users[Persona.P1], "person"),
        world.caseworker_membership,
        [Section.PLAN, Section.NOTES],
    )
    assert table(client.get(url))[caseworker.pk]["sections"] == {"plan", "notes"}
    network.end_membership(Actor.system(), world.caseworker_membership)
    assert caseworker.pk not in table(client.get(url))


def test_a_network_member_who_breaks_the_glass_sees_the_crisis_plan_and_is_shown_so(
    world: World, client_as: ClientAs
) -> None:
    """resolve_access and visible_persons agree: the emergency adds the crisis plan."""
    caseworker = world.users[Persona.CASEWORKER]
    before = access.resolve_access(caseworker, world.p1.pk)
    assert before is not None
    assert not before.allows(Section.CRISIS_PLAN)
    BreakGlassAccess.objects.create(
        person=world.p1,
        user=caseworker,
        role=Role.CASEWORKER,
        reason="Call from the police",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    after = access.resolve_access(caseworker, world.p1.pk)
    assert after is not None
    assert after.allows(Section.CRISIS_PLAN)
    assert after.basis is access.Basis.NETWORK
    listed = access.visible_persons(caseworker, Section.CRISIS_PLAN)
    assert listed.filter(pk=world.p1.pk).exists()
    url = reverse("network:network", kwargs={"person_id": world.p1.pk})
    row = table(client_as(Persona.P1).get(url))[caseworker.pk]
    assert row["sections"] == {"plan", "meetings", "crisis_plan"}


def test_who_can_see_is_empty_for_someone_nobody_can_see(world: World) -> None:
    system = Actor.system()
    alone = people.register_person(system, name="Ida Alone")
    assert access.who_can_see(alone) == []
