"""Sending notifications. In-app for now; email reminders come with the reminder worker."""

from __future__ import annotations

from collections.abc import Iterable

from alongside.accounts.models import User
from alongside.notifications.models import Notification


def notify(recipients: Iterable[User], text: str, url: str = "") -> int:
    """One notification per distinct recipient, in one query."""
    unique = {user.pk: user for user in recipients}
    Notification.objects.bulk_create(
        Notification(recipient=user, text=text[:500], url=url[:300]) for user in unique.values()
    )
    return len(unique)


def unread_for(user: User, *, limit: int = 10) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])
