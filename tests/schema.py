"""The test databases are built from the models, not by running the migrations.

Running the project's 100 migrations took about 25 seconds of CPU for every test database (one per
pytest-xdist worker, on each database pass), most of it Django re-rendering model states. The
suite therefore runs with pytest-django's ``--no-migrations`` (``pyproject.toml``): the tables come
straight from the models, and ``finish_schema_built_from_models`` adds what the migrations do
beyond the models (the audit table's append-only triggers, the cache table, the table recording
applied migrations, the installation's FHIR namespace) and loads the reference data the data
migrations load.

That is only honest if both roads lead to the same database: ``tests/test_migrations.py`` builds
one database each way, in subprocesses, and compares their tables, columns, constraints, indexes,
triggers and reference rows with ``describe``. ``pytest --migrations`` runs the real migrations
for every test database instead.

Run as a script (``python -m tests.schema migrated|models OUT.json``, with ``DATABASE_URL`` set to
an empty database) it builds that database one way and writes its description.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import uuid
from typing import Any

from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

AUDIT_TRIGGERS = "alongside.audit.migrations.0002_append_only_triggers"


def load_reference_data() -> None:
    """The frameworks, the default card deck, the default restrictive measure types, the shipped
    questionnaires (the recovery-orientation survey's two versions among them) and the default
    discharge checklist: what the data migrations load."""
    from alongside.discharge.defaults import sync_default_items
    from alongside.frameworks.loader import sync_catalogue
    from alongside.frameworks.models import Concept
    from alongside.insight.survey import register_instruments
    from alongside.measures.definitions import sync_instruments
    from alongside.plans.deck_loader import sync_default_deck
    from alongside.plans.models import DeckCard
    from alongside.safety.restrictive import sync_default_measure_types

    sync_catalogue(Concept)
    sync_default_deck(DeckCard)
    sync_default_measure_types()
    sync_instruments()
    register_instruments()
    sync_default_items()


def finish_schema_built_from_models(connection: BaseDatabaseWrapper) -> None:
    """What the migrations add to a database beyond its models' tables, then the reference data."""
    from alongside.fhir.models import Installation

    triggers = importlib.import_module(AUDIT_TRIGGERS)
    with connection.schema_editor() as editor:
        triggers.forwards(None, editor)
    call_command("createcachetable", database=connection.alias, verbosity=0)
    # Django's record of applied migrations: empty here, but the table exists on every real
    # database, and the runtime role's grants name it.
    MigrationRecorder(connection).ensure_schema()
    if not Installation.objects.exists():
        Installation.objects.create(namespace=uuid.uuid4())
    load_reference_data()


def _declared_names() -> set[str]:
    """The constraint and index names the models declare (``Meta.constraints``, ``Meta.indexes``).
    Every other name is made up by Django or the database, and differs with the road taken: an
    inline UNIQUE is ``<table>_<column>_key`` on PostgreSQL, a unique added later by a migration
    ``<table>_<column>_<hash>_uniq``; SQLite numbers unnamed constraints by column position."""
    from django.apps import apps

    names: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        names.update(c.name for c in model._meta.constraints)
        names.update(i.name for i in model._meta.indexes if i.name)
    return names


def _by_content(
    constraints: dict[str, dict[str, Any]], declared: set[str]
) -> dict[str, dict[str, Any]]:
    """Constraints keyed by their declared name, or else by what they are."""
    keyed: dict[str, dict[str, Any]] = {}
    for name, details in constraints.items():
        if name not in declared:
            name = "undeclared " + json.dumps(details, sort_keys=True, default=str)
            while name in keyed:
                name += " (again)"
        keyed[name] = details
    return keyed


def describe(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    """Tables with their columns and constraints (indexes included), triggers, database functions
    and the number of rows in each table, as plain data that can be compared and printed."""
    introspection = connection.introspection
    declared = _declared_names()
    tables: dict[str, Any] = {}
    rows: dict[str, int] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = sorted(t.name for t in introspection.get_table_list(cursor) if t.type == "t")
        for table in names:
            columns = {
                column.name: {
                    "type": str(column.type_code),
                    "null": bool(column.null_ok),
                    "default": None if column.default is None else str(column.default),
                    "size": column.internal_size,
                    "precision": column.precision,
                    "scale": column.scale,
                }
                for column in introspection.get_table_description(cursor, table)
            }
            constraints = _by_content(
                {
                    name: {
                        key: (list(value) if isinstance(value, (list, tuple)) else value)
                        for key, value in sorted(details.items())
                    }
                    for name, details in introspection.get_constraints(cursor, table).items()
                },
                declared,
            )
            tables[table] = {"columns": columns, "constraints": constraints}
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
            rows[table] = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE NOT tgisinternal ORDER BY tgname"
            )
            triggers = [list(row) for row in cursor.fetchall()]
            cursor.execute(
                "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() ORDER BY p.proname"
            )
            functions = [list(row) for row in cursor.fetchall()]
        else:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            )
            triggers = [list(row) for row in cursor.fetchall()]
            functions = []
    return {"tables": tables, "rows": rows, "triggers": triggers, "functions": functions}


def _build(way: str) -> dict[str, Any]:
    import django
    from django.conf import settings

    django.setup()
    from django.apps import apps
    from django.db import connection

    if way == "models":
        # As pytest-django's --no-migrations does: no app has migrations, so migrate --run-syncdb
        # creates every table from its model.
        settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        finish_schema_built_from_models(connection)
    elif way == "migrated":
        call_command("migrate", verbosity=0, interactive=False)
    else:
        raise SystemExit(f"unknown way {way!r}: migrated or models")
    return describe(connection)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    description = _build(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(description, out, indent=1, sort_keys=True, default=str)
