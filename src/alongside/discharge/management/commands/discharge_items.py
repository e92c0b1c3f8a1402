"""`alongside discharge_items`: the discharge checklist, configurable per organisation.

    alongside discharge_items list [--organisation CODE]
    alongside discharge_items add --code gp_informed --kind follow_up --label-en "The GP knows" \\
        --label-da "Egen læge ved det" --label-ja かかりつけ医が知っている \\
        [--help-en ...] [--optional] [--position 70] [--organisation CODE]
    alongside discharge_items hide --code offer_treatment_or_activity [--organisation CODE]

With --organisation, the change applies to stays in that organisation's units: an added item with
a default item's code replaces it there, and hiding a default item hides it there only. Without
it, the default set changes. Entries already recorded stay on their checklists.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.discharge.models import TEXT_LANGUAGES, ChecklistItemTemplate, ItemKind
from alongside.organisations.models import Organisation


class Command(BaseCommand):
    help = "List, add or hide discharge checklist items."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list", "add", "hide"])
        parser.add_argument("--organisation", default=None, help="organisation code")
        parser.add_argument("--code", default="")
        parser.add_argument("--kind", default="", choices=["", *ItemKind.values])
        parser.add_argument("--optional", action="store_true", help="not required for discharge")
        parser.add_argument("--position", type=int, default=None)
        for language in TEXT_LANGUAGES:
            parser.add_argument(f"--label-{language}", default="")
            parser.add_argument(f"--help-{language}", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with code {options['organisation']!r}.")
        if options["action"] == "list":
            self._list(organisation)
            return
        code = options["code"]
        if not code:
            raise CommandError("--code is required.")
        if options["action"] == "hide":
            self._hide(organisation, code)
            return
        labels = {lang: options[f"label_{lang}"] for lang in TEXT_LANGUAGES}
        if not all(labels.values()) or not options["kind"]:
            raise CommandError("An item needs --kind, --label-en, --label-da and --label-ja.")
        position = options["position"]
        if position is None:
            last = ChecklistItemTemplate.objects.order_by("-position").first()
            position = (last.position if last else 0) + 10
        ChecklistItemTemplate.objects.update_or_create(
            organisation=organisation,
            code=code,
            defaults={
                "kind": options["kind"],
                "required": not options["optional"],
                "position": position,
                "active": True,
                **{f"label_{k}": v for k, v in labels.items()},
                **{f"help_{k}": options[f"help_{k}"] for k in TEXT_LANGUAGES},
            },
        )
        self.stdout.write(f"Checklist item {code!r} is on the list.")

    def _list(self, organisation: Organisation | None) -> None:
        items = ChecklistItemTemplate.objects.filter(organisation=None)
        if organisation is not None:
            items = items | ChecklistItemTemplate.objects.filter(organisation=organisation)
        for item in items.order_by("position", "code", "organisation_id"):
            where = "default" if item.organisation_id is None else "own"
            state = "active" if item.active else "hidden"
            need = "required" if item.required else "optional"
            self.stdout.write(f"{where:<7} {state:<6} {need:<8} {item.code:<30} {item.label_en}")

    def _hide(self, organisation: Organisation | None, code: str) -> None:
        own = ChecklistItemTemplate.objects.filter(organisation=organisation, code=code).first()
        if own is not None:
            own.active = False
            own.save(update_fields=["active"])
        else:
            default = ChecklistItemTemplate.objects.filter(organisation=None, code=code).first()
            if default is None:
                raise CommandError(f"No checklist item {code!r}.")
            # Hiding a default item for one organisation: a hidden copy of it, theirs alone.
            default.pk = None
            default.organisation = organisation
            default.active = False
            default.save()
        self.stdout.write(f"Checklist item {code!r} is hidden.")
