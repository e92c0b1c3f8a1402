"""`alongside measures sync` and `alongside measures load-wording <file> [--organisation CODE]`.

``sync`` loads the shipped instruments (idempotent). ``load-wording`` loads licensed item wording
in the format of docs/measures-wording.md; until then a licensed measure cannot be sent.
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

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "sync":
                versions = sync_instruments()
                self.stdout.write(f"{len(versions)} instrument versions loaded.")
                return
            version = load_wording(
                Actor.system(), options["file"], organisation_code=options["organisation"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Wording loaded for {version}; it can now be sent.")
