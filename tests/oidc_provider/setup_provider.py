"""Prepare the provider's database: ``python -m tests.oidc_provider.setup_provider`` with
``OIDC_SETUP`` (JSON: client id and secret, redirect URIs, users) in the environment."""

from __future__ import annotations

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    setup = json.loads(os.environ["OIDC_SETUP"])
    call_command("migrate", verbosity=0, interactive=False)
    for user in setup["users"]:
        User.objects.create_user(user["username"], user.get("email", ""), user["password"])
    Application.objects.create(
        name="Alongside",
        client_id=setup["client_id"],
        client_secret=setup["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(setup["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main()
