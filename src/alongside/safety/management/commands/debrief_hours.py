"""`alongside debrief_hours ORGANISATION HOURS`: how soon a debrief is due after a restrictive
measure, for one organisation (1 to 720 hours; the default without a rule is 72)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alongside.organisations.models import Organisation
from alongside.safety.restrictive import DebriefRule


class Command(BaseCommand):
    help = "Set how many hours after a restrictive measure its debrief is due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organisation", help="organisation code")
        parser.add_argument("hours", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        rule = DebriefRule.objects.filter(organisation=organisation).first() or DebriefRule(
            organisation=organisation
        )
        rule.hours = options["hours"]
        try:
            rule.full_clean()
        except ValidationError as invalid:
            raise CommandError("Hours must be from 1 to 720.") from invalid
        rule.save()
        self.stdout.write(f"Debriefs at {organisation.name} are due within {rule.hours} hours.")
