"""`alongside insight refresh [--since YYYY-MM]`: recount the indicator rollups.

Without ``--since`` it recounts the current and the previous month (late entries land there);
with it, every month from then until now (a backfill). Safe to repeat.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alongside.insight.services import months_between, refresh


class Command(BaseCommand):
    help = "Insight: recount the indicator rollups for recent months, or since a month."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh_parser = sub.add_parser("refresh", help="Recount the rollups.")
        refresh_parser.add_argument("--since", default=None, help="First month, as YYYY-MM.")

    def handle(self, *args: Any, **options: Any) -> None:
        months: list[date] | None = None
        if options["since"]:
            try:
                first = datetime.strptime(options["since"], "%Y-%m").date()  # noqa: DTZ007
            except ValueError:
                raise CommandError("--since takes a month as YYYY-MM") from None
            months = months_between(first, timezone.localdate())
        written = refresh(months)
        self.stdout.write(f"{written} rollup rows written.")
