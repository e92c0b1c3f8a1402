"""The migrations and the models build the same database (see ``tests/schema.py``).

The suite's test databases are built from the models (``--no-migrations``). This test builds one
database by running every migration, as an installation does, and one as the test databases are
built, each in its own subprocess on the database the suite runs on (SQLite, or a scratch database
on the same PostgreSQL server), and compares tables, columns, constraints and indexes, triggers,
functions and the reference rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# Django's record of which migrations ran: only running them fills it.
ONLY_MIGRATIONS_RECORD = {"django_migrations"}
# Differences that come from Django itself, each explained; anything else fails the test.
KNOWN = {
    # The table behind auth.Group.permissions (Django's, unused here): from the migration state
    # its key is the project's DEFAULT_AUTO_FIELD (bigint), from the model the auth app's own
    # default (integer). SQLite stores both as integer.
    "auth_group_permissions column id: migrations {'default': None, 'null': False, "
    "'precision': None, 'scale': None, 'size': 8, 'type': '20'} models {'default': None, "
    "'null': False, 'precision': None, 'scale': None, 'size': 4, 'type': '23'}",
}


def _postgres_admin_url() -> str:
    database = settings.DATABASES["default"]
    user, password = database["USER"], database["PASSWORD"]
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgresql://{user}:{password}@{host}:{port}/postgres"


@pytest.fixture
def empty_databases(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Two empty databases of the suite's kind, by way of building them; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield {way: f"sqlite:///{tmp_path / f'{way}.sqlite3'}" for way in ("migrated", "models")}
        return
    admin = _postgres_admin_url()
    names = {way: f"alongside_schema_{way}_{os.getpid()}" for way in ("migrated", "models")}
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names.values():
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {
            way: urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
            for way, name in names.items()
        }
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _build(way: str, database_url: str, out: Path) -> dict[str, Any]:
    # Not under coverage: the migrations are left out of it anyway, and tracing them costs minutes.
    untraced = {"COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START"}
    env = {
        **{name: value for name, value in os.environ.items() if name not in untraced},
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
        "ALONGSIDE_DEBUG": "1",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.schema", way, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"building the {way} database failed:\n{done.stderr[-4000:]}"
    description: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return description


def _differences(migrated: dict[str, Any], models: dict[str, Any]) -> list[str]:
    found: list[str] = []
    tables_a, tables_b = migrated["tables"], models["tables"]
    for table in sorted(set(tables_a) | set(tables_b)):
        if table not in tables_b:
            found.append(f"table {table} only after the migrations")
            continue
        if table not in tables_a:
            found.append(f"table {table} only from the models")
            continue
        for part in ("columns", "constraints"):
            a, b = tables_a[table][part], tables_b[table][part]
            for name in sorted(set(a) | set(b)):
                if a.get(name) != b.get(name):
                    found.append(
                        f"{table} {part[:-1]} {name}: migrations {a.get(name)} models {b.get(name)}"
                    )
    for key in ("triggers", "functions"):
        if migrated[key] != models[key]:
            found.append(f"{key}: migrations {migrated[key]} models {models[key]}")
    for table in sorted(set(migrated["rows"]) - ONLY_MIGRATIONS_RECORD):
        a, b = migrated["rows"][table], models["rows"].get(table)
        if a != b:
            found.append(f"{table} rows: migrations {a} models {b}")
    return found


def test_the_migrations_and_the_models_build_the_same_database(
    empty_databases: dict[str, str], tmp_path: Path
) -> None:
    migrated = _build("migrated", empty_databases["migrated"], tmp_path / "migrated.json")
    models = _build("models", empty_databases["models"], tmp_path / "models.json")
    assert len(migrated["tables"]) > 50, "the migrated database has hardly any tables"
    assert migrated["triggers"], "the audit table's append-only trigger is missing"
    assert migrated["rows"]["frameworks_concept"] > 0, "no reference data was loaded"
    assert [found for found in _differences(migrated, models) if found not in KNOWN] == []


def test_the_comparison_notices_a_difference() -> None:
    """The check itself: a missing index, an extra column, a lost row and a lost trigger are each
    reported."""
    base: dict[str, Any] = {
        "tables": {
            "t": {
                "columns": {"id": {"type": "integer"}},
                "constraints": {"t_pk": {"primary_key": True}, "t_idx": {"index": True}},
            }
        },
        "rows": {"t": 3, "django_migrations": 100},
        "triggers": [["t_append_only", "t", "..."]],
        "functions": [],
    }
    other = json.loads(json.dumps(base))
    del other["tables"]["t"]["constraints"]["t_idx"]
    other["tables"]["t"]["columns"]["extra"] = {"type": "text"}
    other["rows"] = {"t": 2, "django_migrations": 0}
    other["triggers"] = []
    found = _differences(base, other)
    assert len(found) == 4, found
    assert _differences(base, json.loads(json.dumps(base))) == []
