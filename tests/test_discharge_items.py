"""Hiding a required discharge checklist item is a decision for a service manager, recorded with
its reason; a team leader may hide an optional item; showing it again clears the decision (the
audit log keeps it). The page is linked from the checklist for those who configure it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.audit.models import AuditEvent
from alongside.discharge import items
from alongside.discharge.defaults import sync_default_items
from alongside.discharge.models import ChecklistItemTemplate
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.personas import World

REQUIRED = "offer_treatment_or_activity"
REASON = "Our day centre is part of every stay here; nobody leaves without it."


@pytest.fixture(autouse=True)
def _default_items(db: None) -> None:
    sync_default_items()


def staff(world: World, name: str, role: Role) -> User:
    user = create_user(name, f"pw-{name}-123", display_name=name.title())
    organisations.assign_role(
        Actor.system(), user, world.ward, role, started_on=timezone.localdate()
    )
    return user


def test_a_service_manager_hides_a_required_item_with_a_reason(world: World) -> None:
    manager = staff(world, "sanne", Role.SERVICE_MANAGER)
    client = Client()
    client.force_login(manager)
    url = reverse("discharge_service:items")
    page = client.get(url).content.decode()
    assert 'name="reason"' in page
    refused = client.post(url, {"action": "hide", "code": REQUIRED, "reason": "  "})
    assert "Say why this required item is not needed" in refused.content.decode()
    assert not ChecklistItemTemplate.objects.filter(code=REQUIRED, active=False).exists()
    done = client.post(url, {"action": "hide", "code": REQUIRED, "reason": REASON})
    assert done.status_code == 302
    hidden = ChecklistItemTemplate.objects.get(organisation=world.hospital, code=REQUIRED)
    assert (hidden.active, hidden.hidden_reason, hidden.hidden_by) == (False, REASON, manager)
    assert REASON in client.get(url).content.decode()
    event = AuditEvent.objects.filter(object_type="discharge.ChecklistItemTemplate").last()
    assert event is not None
    assert event.why == f"hidden for {world.hospital.code}: {REASON}"
    # Shown again: the decision is cleared on the item (the audit log keeps it).
    client.post(url, {"action": "show", "code": REQUIRED})
    hidden.refresh_from_db()
    assert (hidden.active, hidden.hidden_reason, hidden.hidden_by) == (True, "", None)
    assert ChecklistItemTemplate.objects.get(organisation=None, code=REQUIRED).active


def test_a_team_leader_cannot_hide_a_required_item_but_may_hide_an_optional_one(
    world: World,
) -> None:
    leader = staff(world, "lea", Role.TEAM_LEADER)
    actor = Actor(leader, Role.TEAM_LEADER)
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("discharge_service:items")).content.decode()
    assert "Only a service manager can decide to hide a required item" in page
    with pytest.raises(Exception, match="service manager"):
        items.set_hidden(actor, world.hospital, code=REQUIRED, hidden=True, reason=REASON)
    optional = items.add_item(
        actor,
        world.hospital,
        code="pets_cared_for",
        kind="follow_up",
        labels={"en": "Pets are cared for", "da": "Dyr er passet", "ja": "ペットの世話"},
        required=False,
    )
    items.set_hidden(actor, world.hospital, code=optional.code, hidden=True)
    optional.refresh_from_db()
    assert not optional.active


def test_the_checklist_links_to_the_items_page_for_those_who_configure_it(world: World) -> None:
    from alongside.network import services as network
    from alongside.network.scopes import Section

    leader = staff(world, "lea", Role.TEAM_LEADER)
    network.add_member(
        Actor.system(),
        world.p1,
        leader,
        role=Role.TEAM_LEADER,
        organisation=world.hospital,
        sections=list(Section),
        started_at=timezone.now(),
    )
    client = Client()
    client.force_login(leader)
    checklist = reverse("discharge:checklist", args=[world.p1.pk])
    assert reverse("discharge_service:items") in client.get(checklist).content.decode()
    key_worker = Client()
    key_worker.force_login(world.users["key_worker"])  # type: ignore[index]
    assert reverse("discharge_service:items") not in key_worker.get(checklist).content.decode()


def _hide_by_command(*extra: str) -> str:
    out = StringIO()
    call_command("discharge_items", "hide", "--code", REQUIRED, *extra, stdout=out)
    return out.getvalue()


def test_the_command_hides_a_required_item_only_for_a_service_manager_with_a_reason(
    world: World,
) -> None:
    manager = staff(world, "sanne", Role.SERVICE_MANAGER)
    staff(world, "lea", Role.TEAM_LEADER)
    refusals = {
        # Nobody named: the command is no back door around the page's rule.
        ("--organisation", "hospital"): "--actor",
        ("--organisation", "hospital", "--actor", "lea", "--reason", REASON): "service manager",
        ("--organisation", "hospital", "--actor", "key_worker", "--reason", REASON): (
            "is not a team leader or service manager"
        ),
        ("--organisation", "hospital", "--actor", "sanne"): "Say why",
        ("--organisation", "hospital", "--actor", "sanne", "--reason", "   "): "Say why",
        # The default set as a whole: a required item is never hidden there.
        ("--actor", "sanne", "--reason", REASON): "required",
    }
    for extra, expected in refusals.items():
        with pytest.raises(CommandError, match=expected):
            _hide_by_command(*extra)
    assert not ChecklistItemTemplate.objects.filter(active=False).exists()
    assert not AuditEvent.objects.filter(object_type="discharge.ChecklistItemTemplate").exists()

    out = _hide_by_command("--organisation", "hospital", "--actor", "sanne", "--reason", REASON)
    assert "hidden" in out
    hidden = ChecklistItemTemplate.objects.get(organisation=world.hospital, code=REQUIRED)
    assert (hidden.active, hidden.hidden_reason, hidden.hidden_by) == (False, REASON, manager)
    event = AuditEvent.objects.get(object_type="discharge.ChecklistItemTemplate")
    assert (event.actor_id, event.why) == (manager.pk, f"hidden for hospital: {REASON}")
    # Every other organisation keeps the default item.
    assert ChecklistItemTemplate.objects.get(organisation=None, code=REQUIRED).active


def test_the_command_lets_a_team_leader_hide_an_optional_item(world: World) -> None:
    leader = staff(world, "lea", Role.TEAM_LEADER)
    items.add_item(
        Actor(leader, Role.TEAM_LEADER),
        world.hospital,
        code="pets_cared_for",
        kind="follow_up",
        labels={"en": "Pets are cared for", "da": "Dyr er passet", "ja": "ペットの世話"},
        required=False,
    )
    out = StringIO()
    call_command(
        "discharge_items",
        "hide",
        "--code",
        "pets_cared_for",
        "--organisation",
        "hospital",
        "--actor",
        "lea",
        stdout=out,
    )
    assert not ChecklistItemTemplate.objects.get(code="pets_cared_for").active
