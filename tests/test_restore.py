"""The runbook's restore test, run for real on the PostgreSQL pass: ``scripts/restore-test`` dumps
the test database with pg_dump, restores it with pg_restore into a fresh database and compares
every table; the copy is kept (``RESTORE_TEST_KEEP_COPY=1``) so that this test can look inside:
the rows written here and the whole audit log must be there unchanged, in order, still
append-only, and able to grow.

SQLite has no pg_dump: the test is skipped there (the PostgreSQL pass of ``scripts/test`` runs
it). The copy is dropped even when an assertion fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.people.models import Person

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "restore-test"
TOOLS = ("pg_dump", "pg_restore", "psql")
AUDIT_COLUMNS = (
    "id, at, actor_id, actor_name, role, action, object_type, object_id, person_id, why, path"
)


def _server_url(database: str) -> str:
    settings = connection.settings_dict
    user = quote(str(settings.get("USER") or ""), safe="")
    password = quote(str(settings.get("PASSWORD") or ""), safe="")
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{login}{host}:{port}/{database}"


def _drop(name: str) -> None:
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture
def postgres_source(transactional_db: None) -> Iterator[str]:
    """The test database's URL, on PostgreSQL only; drops every copy made from it at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore back up PostgreSQL; this is the SQLite pass")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, (
        f"{', '.join(missing)} missing: the PostgreSQL client tools are installed by "
        "scripts/ensure-postgres and scripts/test (Debian's postgresql-client)"
    )
    name = str(connection.settings_dict["NAME"])
    try:
        yield _server_url(name)
    finally:
        _drop(f"{name}_restore_test")


def _audit_log(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as db:
        query = f"SELECT {AUDIT_COLUMNS} FROM audit_auditevent ORDER BY id"  # noqa: S608 (constant)
        return list(db.execute(query).fetchall())


def test_the_runbook_restore_test_passes_and_rows_and_audit_log_survive(
    postgres_source: str, tmp_path: Path
) -> None:
    person = Person.objects.create(name="Restored Person")
    actor = Actor.system()
    for why in ("before the backup", "second event", "third event"):
        record(actor, AuditAction.READ, obj=person, person_id=person.pk, why=why)
    source_log = _audit_log(postgres_source)
    assert {"before the backup", "second event", "third event"} <= {row[9] for row in source_log}

    dump = tmp_path / "alongside.dump"
    finished = subprocess.run(  # noqa: S603  # our own script, a fixed argument list
        [str(SCRIPT), postgres_source, str(dump)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10", "RESTORE_TEST_KEEP_COPY": "1"},
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "restore test passed" in finished.stderr
    assert dump.stat().st_size > 0

    restored_url = _server_url(f"{connection.settings_dict['NAME']}_restore_test")
    assert _audit_log(restored_url) == source_log
    with psycopg.connect(restored_url, autocommit=True) as copy:
        assert copy.execute(
            "SELECT name FROM people_person WHERE id = %s", [person.pk]
        ).fetchall() == [("Restored Person",)]
        # Still append-only: the trigger came back with the table.
        with pytest.raises(psycopg.errors.RaiseException):
            copy.execute(
                "UPDATE audit_auditevent SET why = 'rewritten' WHERE id = %s", [source_log[-1][0]]
            )
        with pytest.raises(psycopg.errors.RaiseException):
            copy.execute("DELETE FROM audit_auditevent")
        # And it can grow: the id sequence resumes after the newest restored event.
        next_id = copy.execute(
            "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))"
        ).fetchone()
        assert next_id is not None
        assert next_id[0] > max(row[0] for row in source_log)
    assert _audit_log(restored_url) == source_log
