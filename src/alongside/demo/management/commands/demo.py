"""`alongside demo`: load the demo world (idempotent), optionally fresh, optionally huge."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from alongside.demo import content
from alongside.demo.progress import ProgressBar
from alongside.demo.synthetic import build_synthetic_world
from alongside.demo.world import build_demo_world
from alongside.discharge.defaults import sync_default_items
from alongside.frameworks.loader import sync_catalogue
from alongside.frameworks.models import Concept
from alongside.measures.definitions import sync_instruments
from alongside.plans.deck_loader import sync_default_deck
from alongside.plans.models import DeckCard
from alongside.safety.restrictive import sync_default_measure_types


class Command(BaseCommand):
    help = "Load the fictional demo world and print its logins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete all data first and start fresh."
        )
        parser.add_argument(
            "--persons",
            type=int,
            default=0,
            help="Also add a synthetic world of this many persons (for benchmarks).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed for the synthetic world.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        persons: int = options["persons"]
        if persons < 0:
            raise CommandError("--persons must be zero or more.")
        if options["reset"]:
            self.stdout.write("Deleting all data (--reset) ...")
            call_command("flush", interactive=False, verbosity=0)
            sync_catalogue(Concept)
            sync_default_deck(DeckCard)
            sync_default_measure_types()
            sync_instruments()
            sync_default_items()
        if build_demo_world():
            self.stdout.write(self.style.SUCCESS("Demo world created."))
        else:
            self.stdout.write(
                "Demo world already present; nothing added (use --reset to start over)."
            )
        if persons:
            bar = ProgressBar(persons, "synthetic persons", stream=self.stderr)
            summary = build_synthetic_world(persons, seed=options["seed"], progress=bar.advance)
            bar.finish()
            self.stdout.write(
                f"Synthetic world added: {summary.persons:,} persons, {summary.units:,} wards, "
                f"{summary.staff:,} staff."
            )
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password for all: {content.DEMO_PASSWORD})")
            for username, who in content.DEMO_LOGINS:
                self.stdout.write(f"  {username:<10} {who}")
