"""``alongside grant_runtime_role ROLE``: after ``migrate``, as the owner, give the runtime role
what the app needs and only INSERT and SELECT on the audit log (see docs/runbook.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.audit.runtime_role import grant_runtime_role, grant_statements


class Command(BaseCommand):
    help = (
        "Grant the runtime database role its privileges (INSERT and SELECT only on the audit log)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the PostgreSQL role the app servers connect as")
        parser.add_argument(
            "--print", action="store_true", help="print the SQL instead of running it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role: str = options["role"]
        try:
            statements = grant_statements(role) if options["print"] else grant_runtime_role(role)
        except (ValueError, RuntimeError) as problem:
            raise CommandError(str(problem)) from problem
        for statement in statements:
            self.stdout.write(f"{statement};")
