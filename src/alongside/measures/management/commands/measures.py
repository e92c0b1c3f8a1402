"""`alongside measures sync`, `alongside measures load-wording <file> [--organisation CODE]` and
`alongside measures rebuild-blocks [--check]`.

``sync`` loads the shipped instruments (idempotent). ``load-wording`` loads licensed item wording
in the format of docs/measures-wording.md; until then a licensed measure cannot be sent.
``rebuild-blocks`` builds every score block again from the per-row tables (``measures.blocks``);
with ``--check`` it only says whether the blocks equal the rows, and fails if they do not.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alongside.audit.log import Actor
from alongside.measures.definitions import sync_instruments
from alongside.measures.services import load_wording


class Command(BaseCommand):
    help = "Measures: load the shipped instruments, or load licensed item wording from a file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="Load the shipped instruments (safe to repeat).")
        wording = sub.add_parser(
            "load-wording", help="Load licensed item wording from a JSON file."
        )
        wording.add_argument("file", type=Path)
        wording.add_argument("--organisation", default=None, help="Code of the licence holder.")
        rebuild = sub.add_parser(
            "rebuild-blocks", help="Build the score blocks again from the stored rows."
        )
        rebuild.add_argument(
            "--check", action="store_true", help="Only compare the blocks with the rows."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "sync":
                versions = sync_instruments()
                self.stdout.write(f"{len(versions)} instrument versions loaded.")
                return
            if options["action"] == "rebuild-blocks":
                self._blocks(check=options["check"])
                return
            version = load_wording(
                Actor.system(), options["file"], organisation_code=options["organisation"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Wording loaded for {version}; it can now be sent.")

    def _blocks(self, *, check: bool) -> None:
        from alongside.measures import blocks
        from alongside.measures.models import QuestionnaireVersion

        if not check:
            self.stdout.write(f"{blocks.rebuild()} score blocks written.")
            return
        versions = QuestionnaireVersion.objects.order_by("pk").values_list("pk", flat=True)
        wrong = [pk for pk in versions if not blocks.blocks_equal_rows(pk)]
        if wrong:
            raise CommandError(
                f"The score blocks of versions {wrong} differ from the rows: run rebuild-blocks."
            )
        self.stdout.write("The score blocks equal the rows.")
