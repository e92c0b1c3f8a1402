"""`alongside measure_types`: the taxonomy of restrictive measures, configurable per organisation.

    alongside measure_types list
    alongside measure_types add --code room_search --label-en "Room search" \\
        --label-da Rumvisitation --label-ja 居室の検査 [--organisation CODE]
    alongside measure_types retire --code other [--organisation CODE]

Without --organisation the national default list changes. Retired types stay on episodes already
recorded but are no longer offered.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.organisations.models import Organisation
from alongside.safety.restrictive import MeasureType


class Command(BaseCommand):
    help = "List, add or retire types of restrictive measure."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list", "add", "retire"])
        parser.add_argument("--organisation", default=None, help="organisation code")
        parser.add_argument("--code", default="")
        for language in ("en", "da", "ja"):
            parser.add_argument(f"--label-{language}", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with code {options['organisation']!r}.")
        types = MeasureType.objects.filter(organisation=organisation)
        if options["action"] == "list":
            for measure in types.order_by("pk"):
                state = "active " if measure.active else "retired"
                self.stdout.write(f"{state} {measure.code:<22} {measure.label_en}")
            return
        code = options["code"]
        if not code:
            raise CommandError("--code is required.")
        if options["action"] == "retire":
            if not types.filter(code=code).update(active=False):
                raise CommandError(f"No measure type {code!r} here.")
            self.stdout.write(f"Retired {code!r}.")
            return
        labels = {lang: options[f"label_{lang}"] for lang in ("en", "da", "ja")}
        if not all(labels.values()):
            raise CommandError("A measure type needs --label-en, --label-da and --label-ja.")
        MeasureType.objects.update_or_create(
            organisation=organisation,
            code=code,
            defaults={**{f"label_{k}": v for k, v in labels.items()}, "active": True},
        )
        self.stdout.write(f"Measure type {code!r} is offered.")
