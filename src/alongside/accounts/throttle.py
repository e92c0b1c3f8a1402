"""Login throttling: too many failed attempts for one account, or from one address, within the
window lock further attempts until the window has passed. Kept in the database so it holds across
several app servers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from alongside.accounts.models import LoginAttempt


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def is_locked(username: str, address: str | None) -> bool:
    recent_failures = LoginAttempt.objects.filter(succeeded=False, at__gte=_window_start())
    if recent_failures.filter(username=username).count() >= settings.LOGIN_THROTTLE_MAX_PER_ACCOUNT:
        return True
    return bool(
        address
        and recent_failures.filter(address=address).count()
        >= settings.LOGIN_THROTTLE_MAX_PER_ADDRESS
    )


def record_attempt(username: str, address: str | None, *, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=username[:150], address=address, succeeded=succeeded)
    if not succeeded:
        # Keep the table small: attempts older than a day no longer matter.
        LoginAttempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
