"""`alongside deck`: configure an organisation's "What matters to me" cards.

    alongside deck list --organisation fjordby-mhc
    alongside deck add --organisation fjordby-mhc --code fishing --icon nature \\
        --label-en Fishing --label-da Fiskeri --label-ja 釣り
    alongside deck hide --organisation fjordby-mhc --code substances
    alongside deck show --organisation fjordby-mhc --code substances

An organisation's card with a default card's code replaces that card for persons whose stays are
with the organisation; a hidden one removes it from their deck. Sorts already made keep their cards.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.organisations.models import Organisation
from alongside.plans.models import DeckCard


class Command(BaseCommand):
    help = "List, add, hide or show cards of an organisation's card deck."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list", "add", "hide", "show"])
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--code", help="card code (a default card's code to override it)")
        parser.add_argument("--icon", default="", help="icon name from cards.svg")
        for language in ("en", "da", "ja"):
            parser.add_argument(f"--label-{language}", default="")
            parser.add_argument(f"--prompt-{language}", default="")
        parser.add_argument("--position", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        action = options["action"]
        if action == "list":
            for shown in DeckCard.objects.filter(organisation__isnull=True).order_by("position"):
                self.stdout.write(f"default  {shown.code:<14} {shown.label_en}")
            for own in DeckCard.objects.filter(organisation=organisation).order_by("position"):
                state = "active" if own.active else "hidden"
                self.stdout.write(f"{state:<8} {own.code:<14} {own.label_en}")
            return
        code = options["code"]
        if not code:
            raise CommandError("--code is required for add, hide and show.")
        default = DeckCard.objects.filter(organisation__isnull=True, code=code).first()
        card = DeckCard.objects.filter(organisation=organisation, code=code).first()
        if action == "add":
            labels = {lang: options[f"label_{lang}"] for lang in ("en", "da", "ja")}
            if not all(labels.values()):
                raise CommandError("A card needs --label-en, --label-da and --label-ja.")
            if card is None:
                card = DeckCard(organisation=organisation, code=code)
            card.icon = options["icon"] or (default.icon if default else "community")
            for lang in ("en", "da", "ja"):
                setattr(card, f"label_{lang}", labels[lang])
                setattr(card, f"prompt_{lang}", options[f"prompt_{lang}"])
            card.position = (
                options["position"]
                if options["position"] is not None
                else (default.position if default else 100)
            )
            card.active = True
            card.full_clean()
            card.save()
            self.stdout.write(f"Card {code!r} is in {organisation.name}'s deck.")
            return
        if card is None:
            if default is None:
                raise CommandError(
                    f"No card {code!r} in the default deck or {organisation.name}'s."
                )
            card = DeckCard(
                organisation=organisation,
                code=code,
                icon=default.icon,
                position=default.position,
                **{
                    f"label_{lang}": getattr(default, f"label_{lang}")
                    for lang in ("en", "da", "ja")
                },
                **{
                    f"prompt_{lang}": getattr(default, f"prompt_{lang}")
                    for lang in ("en", "da", "ja")
                },
            )
        card.active = action == "show"
        card.save()
        self.stdout.write(
            f"Card {code!r} is {'shown' if card.active else 'hidden'} for {organisation.name}."
        )
