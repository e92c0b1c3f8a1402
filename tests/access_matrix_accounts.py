"""Accounts and identity: login, password change and reset, two-step verification (allauth's
pages we mount), single sign-on, and ending one's sessions.

Nothing here opens person data: every logged-in persona gets the same answer. Pages that need a
login step in progress (the code after the password, an OIDC callback) send everyone elsewhere.
"""

from __future__ import annotations

from typing import Any

from tests.access_declarations import EVERY_LOGGED_IN, Declaration, only, statuses
from tests.personas import World


def _reset_key(world: World) -> dict[str, Any]:
    return {"uidb36": "1", "key": "not-a-real-key"}


def _key(world: World) -> dict[str, Any]:
    return {"pk": 1}


def _sso(world: World) -> dict[str, Any]:
    return {"provider_id": "organisation"}


# Pages about a second factor the personas have not set up: nothing to show, for everyone.
NOTHING_TO_SHOW = only([])

ACCOUNTS: dict[str, Declaration] = {
    "accounts:security": Declaration("get", only(EVERY_LOGGED_IN)),
    "accounts:end_sessions": Declaration("post", statuses(302)),
    # allauth's names for our login, logout and password pages.
    "account_login": Declaration("get", statuses(302, anonymous=200)),
    "account_logout": Declaration("post", statuses(302)),
    "account_change_password": Declaration("get", only(EVERY_LOGGED_IN)),
    "account_inactive": Declaration("get", statuses(200)),
    "account_reauthenticate": Declaration("get", only(EVERY_LOGGED_IN)),
    "account_reset_password": Declaration("get", statuses(200)),
    "account_reset_password_done": Declaration("get", statuses(200)),
    "account_reset_password_from_key": Declaration("get", statuses(200), kwargs=_reset_key),
    "account_reset_password_from_key_done": Declaration("get", statuses(200)),
    # Two-step verification: one's own settings only.
    "mfa_index": Declaration("get", only(EVERY_LOGGED_IN)),
    "mfa_authenticate": Declaration("get", statuses(302)),
    "mfa_reauthenticate": Declaration("get", statuses(302)),
    "mfa_activate_totp": Declaration("get", statuses(302)),
    "mfa_deactivate_totp": Declaration("get", NOTHING_TO_SHOW),
    "mfa_view_recovery_codes": Declaration("get", NOTHING_TO_SHOW),
    "mfa_generate_recovery_codes": Declaration("get", statuses(302)),
    "mfa_download_recovery_codes": Declaration("get", NOTHING_TO_SHOW),
    "mfa_list_webauthn": Declaration("get", only(EVERY_LOGGED_IN)),
    "mfa_add_webauthn": Declaration("get", statuses(302)),
    "mfa_reauthenticate_webauthn": Declaration("get", statuses(302)),
    "mfa_remove_webauthn": Declaration("get", statuses(302), kwargs=_key),
    "mfa_edit_webauthn": Declaration("get", statuses(302), kwargs=_key),
    # Single sign-on: no provider is configured in the personas world.
    "socialaccount_login_cancelled": Declaration("get", statuses(200)),
    "socialaccount_login_error": Declaration("get", statuses(401)),
    "openid_connect_login": Declaration("post", statuses(404), kwargs=_sso),
    "openid_connect_callback": Declaration("get", statuses(404), kwargs=_sso),
}

ACCOUNTS_ALSO: list[tuple[str, Declaration]] = []
