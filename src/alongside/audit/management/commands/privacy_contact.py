"""`alongside privacy_contact ORGANISATION USERNAME`: who answers, for one organisation, when a
person flags an access to their record that they do not recognise."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.audit.services import set_privacy_contact
from alongside.organisations.models import Organisation


class Command(BaseCommand):
    help = "Set an organisation's privacy contact (answers flags on persons' access logs)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organisation", help="organisation code")
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        set_privacy_contact(Actor.system(), organisation, user)
        self.stdout.write(f"{user.shown_name} is the privacy contact of {organisation.name}.")
