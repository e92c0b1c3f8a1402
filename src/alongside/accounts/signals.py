"""Login, logout and failed logins go to the audit log too."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from alongside.accounts import sessions
from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.roles import primary_role


def _role_of(user: User) -> str:
    return primary_role(user)


@receiver(user_logged_in)
def _audit_login(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    record(Actor(user=user, role=_role_of(user)), AuditAction.LOGIN, request=request)
    if request is not None and hasattr(request, "session"):
        sessions.start(request.session, user, time.time())


@receiver(user_logged_out)
def _audit_logout(
    sender: object, request: HttpRequest, user: User | None, **kwargs: object
) -> None:
    if user is not None:
        record(Actor(user=user, role=_role_of(user)), AuditAction.LOGOUT, request=request)


@receiver(user_login_failed)
def _audit_failed_login(
    sender: object,
    credentials: dict[str, str],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    record(
        Actor.system(),
        AuditAction.LOGIN_FAILED,
        why=f"username: {str(credentials.get('username', ''))[:150]}",
        request=request,
    )
