"""`alongside discharge_items`: the discharge checklist, configurable per organisation.

    alongside discharge_items list [--organisation CODE]
    alongside discharge_items add --code gp_informed --kind follow_up --label-en "The GP knows" \\
        --label-da "Egen læge ved det" --label-ja かかりつけ医が知っている \\
        [--help-en ...] [--optional] [--position 70] [--organisation CODE]
    alongside discharge_items hide --code offer_treatment_or_activity --organisation CODE \
        --actor USERNAME [--reason "why it is not needed here"]

With --organisation, the change applies to stays in that organisation's units: an added item with
a default item's code replaces it there, and hiding a default item hides it there only. Without
it, the default set changes. Entries already recorded stay on their checklists.

Hiding follows the same rule as the checklist items page (``discharge.items.set_hidden``): it is
done by a named team leader or service manager of the organisation (--actor), and hiding a
required item is a service manager's decision, recorded with its reason (--reason) beside the
item and in the audit log. A required item is never hidden from the default set as a whole.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.discharge import items
from alongside.discharge.models import TEXT_LANGUAGES, ChecklistItemTemplate, ItemKind
from alongside.organisations.models import Organisation, Role, StaffRole


class Command(BaseCommand):
    help = "List, add or hide discharge checklist items."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list", "add", "hide"])
        parser.add_argument("--organisation", default=None, help="organisation code")
        parser.add_argument("--code", default="")
        parser.add_argument("--kind", default="", choices=["", *ItemKind.values])
        parser.add_argument("--optional", action="store_true", help="not required for discharge")
        parser.add_argument("--position", type=int, default=None)
        parser.add_argument(
            "--actor", default="", help="hide: username of the team leader or service manager"
        )
        parser.add_argument(
            "--reason", default="", help="hide: why a required item is not needed here"
        )
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
            self._hide(organisation, code, options["actor"], options["reason"])
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

    def _hide(
        self, organisation: Organisation | None, code: str, username: str, reason: str
    ) -> None:
        if organisation is None:
            self._hide_default(code)
            return
        if not username:
            raise CommandError(
                "Hiding an item is decided by a team leader or service manager of the "
                "organisation: give --actor USERNAME (a service manager, with --reason, for a "
                "required item)."
            )
        user = User.objects.filter(username=username, is_active=True).first()
        roles = set(
            StaffRole.objects.current()
            .filter(user=user, unit__organisation=organisation)
            .values_list("role", flat=True)
            if user is not None
            else ()
        )
        role = Role.SERVICE_MANAGER if Role.SERVICE_MANAGER in roles else Role.TEAM_LEADER
        try:
            item = items.set_hidden(
                Actor(user=user, role=role), organisation, code=code, hidden=True, reason=reason
            )
        except PermissionDenied:
            raise CommandError(
                f"{username!r} is not a team leader or service manager of "
                f"{organisation.code!r}, so cannot hide its checklist items."
            ) from None
        except ValidationError as invalid:
            raise CommandError(" ".join(str(m) for m in invalid.messages)) from None
        self.stdout.write(f"Checklist item {item.code!r} is hidden for {organisation.code!r}.")

    def _hide_default(self, code: str) -> None:
        """The default set itself: optional items only. A required item is hidden per
        organisation, by its service manager with a reason."""
        default = ChecklistItemTemplate.objects.filter(organisation=None, code=code).first()
        if default is None:
            raise CommandError(f"No checklist item {code!r}.")
        if default.required:
            raise CommandError(
                f"{code!r} is required. Hiding a required item is a service manager's decision "
                "for their organisation: give --organisation, --actor and --reason."
            )
        default.active = False
        default.save(update_fields=["active"])
        record(Actor.system(), AuditAction.UPDATE, obj=default, why="hidden from the default set")
        self.stdout.write(f"Checklist item {code!r} is hidden.")
