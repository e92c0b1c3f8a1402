"""Sending notifications in the app (the reminder worker also mails them). Messages are codes with
parameters, rendered in the reader's language: see ``messages.py``."""

from __future__ import annotations

from collections.abc import Iterable

from alongside.accounts.models import User
from alongside.notifications.messages import MessageKind, Params
from alongside.notifications.models import Notification


def notify(
    recipients: Iterable[User], kind: MessageKind, params: Params | None = None, url: str = ""
) -> int:
    """One notification per distinct recipient, in one query. The message is stored as its code
    and parameters and rendered in each reader's language when shown."""
    unique = {user.pk: user for user in recipients}
    Notification.objects.bulk_create(
        Notification(recipient=user, code=kind.code, params=dict(params or {}), url=url[:300])
        for user in unique.values()
    )
    return len(unique)


def unread_for(user: User, *, limit: int = 10) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])
