"""Writes to accounts: creating users, each user's language, temporary passwords, ending every
session of a user, and an organisation's two-step verification rule."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from alongside.accounts.models import OrganisationSecurity, User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.organisations.models import Organisation

LANGUAGE_CODES = frozenset(code for code, _label in settings.LANGUAGES)


def create_user(
    username: str,
    password: str | None,
    *,
    display_name: str = "",
    email: str = "",
    preferred_language: str = "",
) -> User:
    """Create a login. ``password=None`` makes an account that cannot log in yet."""
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        preferred_language=preferred_language,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def set_preferred_language(user: User, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("That language is not available."))
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def set_temporary_password(
    actor: Actor, user: User, password: str, *, request: HttpRequest | None = None
) -> None:
    """Someone else sets ``user``'s password: the user must choose their own at the next login."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor, AuditAction.UPDATE, obj=user, why="temporary password set", request=request)


def end_all_sessions(actor: Actor, user: User, *, request: HttpRequest | None = None) -> None:
    """Every session of ``user`` fails its next check, on every app server."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    record(actor, AuditAction.END, obj=user, why="all sessions ended", request=request)


def set_mfa_required(
    actor: Actor, organisation: Organisation, required: bool, *, request: HttpRequest | None = None
) -> OrganisationSecurity:
    """Require (or stop requiring) two-step verification of the organisation's staff."""
    policy, _created = OrganisationSecurity.objects.get_or_create(organisation=organisation)
    if policy.mfa_required != required:
        policy.mfa_required = required
        policy.save(update_fields=["mfa_required"])
        record(
            actor,
            AuditAction.UPDATE,
            obj=policy,
            why=f"two-step verification {'required' if required else 'optional'}",
            request=request,
        )
    return policy
