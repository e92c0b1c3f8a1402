"""The audit log: what gets written, and that it cannot be rewritten."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor, record
from alongside.audit.models import AppendOnlyError, AuditAction, AuditEvent
from alongside.people.models import Person
from tests.personas import Persona, World


def test_overview_page_read_is_audited_with_who_role_what_when_why(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client_as(Persona.KEY_WORKER).get(reverse("workspace:person", args=[world.p1.pk]))
    event = AuditEvent.objects.filter(action=AuditAction.READ).latest("id")
    assert event.actor_id == world.users[Persona.KEY_WORKER].pk
    assert event.actor_name == "Key_Worker"
    assert event.role == "key_worker"
    assert event.object_type == "people.Person"
    assert event.object_id == str(world.p1.pk)
    assert event.person_id == world.p1.pk
    assert event.at is not None
    assert "overview" in event.why
    assert event.path == reverse("workspace:person", args=[world.p1.pk])


def test_caseload_audits_each_person_shown(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client_as(Persona.KEY_WORKER).get(reverse("workspace:caseload"))
    listed = AuditEvent.objects.filter(action=AuditAction.LIST, why="caseload")
    assert sorted(listed.values_list("person_id", flat=True)) == [world.p1.pk]


def test_service_writes_are_audited(world: World) -> None:
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="people.Person")
    assert set(created.values_list("person_id", flat=True)) == set(
        Person.objects.values_list("pk", flat=True)
    )


def test_login_and_failed_login_are_audited(world: World) -> None:
    client = Client()
    client.post(reverse("accounts:login"), {"username": "p1", "password": "wrong-password"})
    client.post(reverse("accounts:login"), {"username": "p1", "password": "correct-horse-battery"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN]


@pytest.mark.django_db
def test_model_refuses_to_change_or_delete_an_event() -> None:
    event = record(Actor.system(), AuditAction.READ, why="x")
    event.why = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
def test_database_refuses_to_update_an_event() -> None:
    event = record(Actor.system(), AuditAction.READ, why="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET why = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).why == "original"


@pytest.mark.django_db
def test_database_refuses_to_delete_an_event_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps deletes possible for the test flush; see the migration")
    event = record(Actor.system(), AuditAction.READ, why="kept")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_bulk_changes_are_refused_by_the_model_layer_on_every_database() -> None:
    kept = [record(Actor.system(), AuditAction.READ, why=f"kept {n}") for n in range(3)]
    events = AuditEvent.objects.filter(pk__in=[event.pk for event in kept])
    with pytest.raises(AppendOnlyError):
        events.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        events.update(why="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update(kept, ["why"])
    assert sorted(events.values_list("why", flat=True)) == ["kept 0", "kept 1", "kept 2"]
