"""Sending notifications in the app (the reminder worker also mails them), marking them read, and
each user's preferences. Messages are codes with parameters, rendered in the reader's language:
see ``messages.py``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.notifications.messages import MessageKind, Params
from alongside.notifications.models import Notification, NotificationPreference


def notify(
    recipients: Iterable[User], kind: MessageKind, params: Params | None = None, url: str = ""
) -> int:
    """One notification per distinct recipient who wants notifications in the app, in two
    queries. The message is stored as its code and parameters and rendered in each reader's
    language when shown. Answers how many were stored."""
    unique = {user.pk: user for user in recipients}
    if not unique:
        return 0
    silent = set(
        NotificationPreference.objects.filter(user_id__in=unique, in_app=False).values_list(
            "user_id", flat=True
        )
    )
    wanted = [user for pk, user in unique.items() if pk not in silent]
    Notification.objects.bulk_create(
        Notification(recipient=user, code=kind.code, params=dict(params or {}), url=url[:300])
        for user in wanted
    )
    return len(wanted)


def unread_for(user: User, *, limit: int = 10) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])


def mark_read(user: User, notification_id: int) -> bool:
    """Mark one of the user's own notifications read. Someone else's, or one already read,
    changes nothing. Answers whether it was unread."""
    return bool(
        Notification.objects.filter(
            pk=notification_id, recipient=user, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; answers how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_for(user: User) -> NotificationPreference:
    """The user's preferences (unsaved defaults, both on, when they never chose)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def set_preferences(actor: Actor, *, in_app: bool, email: bool) -> NotificationPreference:
    """The user chooses for themself how they are told."""
    if actor.user is None:
        raise ValueError("preferences belong to a user")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor.user, defaults={"in_app": in_app, "email": email}
    )
    record(actor, AuditAction.UPDATE, obj=preference, why="notification preferences")
    return preference


def wants_email(user: User) -> bool:
    return (
        bool(user.email)
        and not NotificationPreference.objects.filter(user=user, email=False).exists()
    )
