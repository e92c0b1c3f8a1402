"""The runtime role may add to the audit log and read it, never change, remove or empty it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.runtime_role import AUDIT_TABLE, grant_statements

ROLE = os.environ.get("ALONGSIDE_TEST_RUNTIME_ROLE", "alongside_runtime")


def test_grant_statements_refuse_odd_role_names() -> None:
    with pytest.raises(ValueError, match="role name"):
        grant_statements('app"; DROP TABLE audit_auditevent; --')
    assert f"GRANT SELECT, INSERT ON {AUDIT_TABLE}" in "\n".join(grant_statements("app_runtime"))


@pytest.fixture
def as_runtime_role(db: None) -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [ROLE])
        member = cursor.fetchone()
    if not member or not member[0]:
        pytest.skip(
            f"role {ROLE} missing or not granted to the test user (scripts/ensure-postgres)"
        )
    call_command("grant_runtime_role", ROLE, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(ROLE)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _refused(sql: str, params: list[object] | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "permission denied" in str(error) or "must be owner" in str(error)
    return False


def test_runtime_role_adds_and_reads_but_cannot_change_remove_or_empty_the_log(
    as_runtime_role: None,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (ROLE,)
    event = record(Actor.system(), AuditAction.READ, why="written by the runtime role")
    assert AuditEvent.objects.get(pk=event.pk).why == "written by the runtime role"
    assert _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert _refused("UPDATE audit_auditevent SET why = 'rewritten' WHERE id = %s", [event.pk])
    assert _refused("TRUNCATE audit_auditevent")
    assert _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
    assert _refused("DROP TABLE audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).why == "written by the runtime role"


def test_runtime_role_still_does_the_apps_ordinary_work(as_runtime_role: None) -> None:
    from alongside.accounts.models import User

    user = User.objects.create(username="runtime-role-check")
    user.display_name = "Changed"
    user.save(update_fields=["display_name"])
    User.objects.filter(pk=user.pk).delete()
    assert not User.objects.filter(username="runtime-role-check").exists()
