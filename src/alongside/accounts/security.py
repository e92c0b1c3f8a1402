"""Two-step verification: who must use it, and how its secrets are kept.

An organisation can require it of its staff (``OrganisationSecurity.mfa_required``). A staff
member of such an organisation without an authenticator app (TOTP) or a security key/passkey
(WebAuthn) is led to set one up before anything else. A login through the organisation's own
identity provider counts when ``SSO_SATISFIES_MFA`` is on (the provider enforces its own factor).

allauth stores TOTP secrets as given; ``encrypt`` and ``decrypt`` (used by our MFA adapter) keep
them encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under ``MFA_ENCRYPTION_KEY``, or a key
derived from ``SECRET_KEY`` with HKDF when that is not set.
"""

from __future__ import annotations

import base64
from functools import cache

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.http import HttpRequest

from alongside.accounts.models import User
from alongside.organisations.models import StaffRole

# Marks a value we encrypted, so values stored before encryption was on still read.
PREFIX = "fernet:"
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def _derive(secret: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"alongside-mfa-secrets",
        info=b"alongside mfa totp secret encryption",
    )
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


@cache
def _fernet(key: str, secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    keys = [key.encode()] if key else [_derive(secret_key), *(_derive(o) for o in fallbacks)]
    return MultiFernet([Fernet(k) for k in keys])


def _current() -> MultiFernet:
    return _fernet(
        settings.MFA_ENCRYPTION_KEY, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS)
    )


def encrypt(text: str) -> str:
    return PREFIX + _current().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    return _current().decrypt(stored[len(PREFIX) :].encode()).decode()


def mfa_required_for(user: User) -> bool:
    return (
        StaffRole.objects.current()
        .filter(user=user, unit__organisation__security__mfa_required=True)
        .exists()
    )


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def signed_in_with_sso(request: HttpRequest) -> bool:
    methods = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    return any(
        isinstance(method, dict) and method.get("method") == "socialaccount" for method in methods
    )


def needs_mfa_setup(request: HttpRequest, user: User) -> bool:
    if settings.SSO_SATISFIES_MFA and signed_in_with_sso(request):
        return False
    return mfa_required_for(user) and not has_second_factor(user)
