"""The runtime database role: what the app servers connect as in production (PostgreSQL).

Migrations run as the owner of the tables. The app servers connect as a separate role that owns
nothing: it reads and writes the product's tables, but on the audit log it may only INSERT and
SELECT. Not being the owner, it can neither TRUNCATE the audit table nor disable its trigger,
and without UPDATE or DELETE privileges it cannot change a row even where the trigger is gone.
See docs/runbook.md for the whole procedure.
"""

from __future__ import annotations

import re

from django.db import connection

AUDIT_TABLE = "audit_auditevent"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str) -> list[str]:
    """The SQL the owner runs after each migration, so new tables are covered too."""
    if not _ROLE_NAME.match(role):
        raise ValueError("a role name is lower-case letters, digits and underscores")
    quoted = connection.ops.quote_name(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {quoted}",
        # Migration bookkeeping is the owner's alone.
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {quoted}",
    ]


def grant_runtime_role(role: str) -> list[str]:
    """Apply ``grant_statements`` on the default database (as the owner); returns them."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the runtime role is a PostgreSQL feature")
    statements = grant_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
