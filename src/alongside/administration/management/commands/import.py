"""``alongside import [--dry-run] [--organisation CODE] FILE``: the go-live import from the
command line. Prints per line what is (or would be) created, changed or refused and why; the real
import is all or nothing. Columns: docs/go-live-import.md."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.administration import importer
from alongside.audit.log import Actor
from alongside.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import units, staff or persons with stays from a CSV file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; change nothing")
        parser.add_argument(
            "--organisation", default="", help="the organisation's code (if there are several)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["organisation"]
        organisations = (
            Organisation.objects.filter(code=code) if code else Organisation.objects.all()
        )
        if organisations.count() != 1:
            raise CommandError("Name the organisation with --organisation CODE.")
        organisation = organisations.get()
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        report = importer.run(Actor.system(), organisation, content, apply=not options["dry_run"])
        for problem in report.errors:
            self.stderr.write(f"error: {problem}")
        for line in report.lines:
            reasons = "; ".join(line.reasons)
            self.stdout.write(
                f"line {line.number}: {line.action.value} {line.key}  {reasons}".rstrip()
            )
        counts = ", ".join(f"{count} {action}" for action, count in report.counts.items())
        self.stdout.write(f"{report.kind or '-'}: {counts}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
        elif report.applied:
            self.stdout.write("Imported.")
        else:
            raise CommandError("Nothing was imported: fix the refused lines and run again.")
