"""``alongside create_organisation``: the first organisation and its first service administrator,
on an empty database (no demo world).

    alongside create_organisation --code region-north --name "Region North Psychiatry" \\
        --kind hospital --admin-email it@example.org --admin-name "Sam Admin"

Prints a single-use link (valid 7 days) with which the administrator chooses a password; with
``--password-stdin`` the password is read from standard input instead.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alongside.administration import services
from alongside.audit.log import Actor
from alongside.organisations.models import OrganisationKind


class Command(BaseCommand):
    help = "Create an organisation and its first service administrator."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--code", required=True, help="stable short code, e.g. region-north")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the administrator's password from standard input instead of a link",
        )
        parser.add_argument(
            "--base-url", default="", help="e.g. https://care.example.org, to print a full link"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else None
        email = services.normalise_email(options["admin_email"])
        try:
            organisation, user = services.create_organisation_with_administrator(
                code=options["code"],
                name=options["name"],
                kind=options["kind"],
                admin_username=email,
                admin_name=options["admin_name"],
                admin_email=email,
                admin_password=password,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created {organisation.name} ({organisation.code}).")
        self.stdout.write(f"Service administrator: {user.username}")
        if password is None:
            _invitation, token = services.invite_staff(
                Actor.system(),
                organisation,
                name=options["admin_name"],
                email=email,
                roles=[],
                user=user,
                base_url=options["base_url"],
            )
            link = options["base_url"] + services.invitation_link(token)
            self.stdout.write(f"Choose the password here (once, within 7 days): {link}")
