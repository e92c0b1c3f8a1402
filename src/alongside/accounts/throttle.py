"""Login throttling, kept in the database so it holds across several app servers.

Failed attempts are counted per account *and* address: too many for one account from one address
pause that pair only, so nobody can lock an account for everyone by failing on purpose. Too many
from one address (for any accounts) pause that address. Usernames are normalised
(``normalise_username``) before counting, so ``kasper``, `` kasper``, ``KASPER`` and the same
name typed in full-width letters share one counter. The address is the client's own, resolved
once per request behind trusted proxies (``accounts.middleware.ClientAddressMiddleware``).

The same counters guard every check of a password by a logged-in user (changing the password,
confirming it again before a sensitive step).

Activation codes (the person's own login) have counters of their own (``scope`` ``activation``):
wrong codes per address, and per code (a hash of the code as typed, normalised). A paused
address cannot go on guessing; a person at another address with the right code still gets in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from alongside.accounts.models import LoginAttempt, normalise_username

LOGIN = "login"
ACTIVATION = "activation"


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def is_locked(username: str, address: str | None) -> bool:
    recent_failures = LoginAttempt.objects.filter(
        scope=LOGIN, succeeded=False, at__gte=_window_start()
    )
    pair = recent_failures.filter(username=normalise_username(username), address=address)
    if pair.count() >= settings.LOGIN_THROTTLE_MAX_PER_ACCOUNT:
        return True
    return bool(
        address
        and recent_failures.filter(address=address).count()
        >= settings.LOGIN_THROTTLE_MAX_PER_ADDRESS
    )


def record_attempt(username: str, address: str | None, *, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username=normalise_username(username), address=address, succeeded=succeeded
    )
    if not succeeded:
        _forget_old()


def activation_locked(code_key: str, address: str | None) -> bool:
    """Too many wrong activation codes from this address, or tries of this one code."""
    recent_failures = LoginAttempt.objects.filter(
        scope=ACTIVATION, succeeded=False, at__gte=_window_start()
    )
    if recent_failures.filter(username=code_key).count() >= settings.ACTIVATION_THROTTLE_PER_CODE:
        return True
    return bool(
        address
        and recent_failures.filter(address=address).count()
        >= settings.ACTIVATION_THROTTLE_PER_ADDRESS
    )


def record_activation_attempt(code_key: str, address: str | None, *, succeeded: bool) -> None:
    """``code_key`` is a hash of the code, never the code itself."""
    LoginAttempt.objects.create(
        scope=ACTIVATION, username=code_key[:150], address=address, succeeded=succeeded
    )
    if not succeeded:
        _forget_old()


def _forget_old() -> None:
    """Keep the table small: attempts older than a day no longer matter."""
    LoginAttempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
