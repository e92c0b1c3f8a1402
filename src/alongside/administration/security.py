"""Sign-in security an organisation's service administrator decides: whether its staff must use
two-step verification, and a temporary password for a staff member who cannot log in.

A temporary password is made here, never typed by the administrator: it is long and random
(about 80 bits), so it is neither guessable nor reused across staff, and it is shown once, to
the administrator who made it, on a page that is never cached. It is stored only as Django's
password hash, never logged, mailed or written to the audit log, and the staff member must
choose their own at the next login (``accounts.middleware.RequiredStepsMiddleware``). Setting it
ends every session of the account (the session hash includes the password). It does not turn
off the account's two-step verification.

Only an account that belongs to this organisation alone may be given one: an active staff
member with a current role here and none elsewhere, not an administrator elsewhere, not a
person's own login, and not the administrator's own account. Otherwise one organisation's
administrator could take over an account another organisation relies on.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from alongside.accounts import services as accounts
from alongside.accounts.models import OrganisationSecurity, User
from alongside.administration.models import ServiceAdministrator
from alongside.administration.services import _require_admin
from alongside.audit.log import Actor
from alongside.organisations.models import Organisation, StaffRole
from alongside.people.models import Person

# Lower-case letters and digits without the ones people mix up (0/o, 1/l/i).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105  (an alphabet, not a password)
PASSWORD_GROUPS = 4
GROUP_LENGTH = 4


def mfa_required(organisation: Organisation) -> bool:
    policy = OrganisationSecurity.objects.filter(organisation=organisation).first()
    return bool(policy and policy.mfa_required)


def set_mfa_required(
    actor: Actor,
    organisation: Organisation,
    required: bool,
    *,
    request: HttpRequest | None = None,
) -> OrganisationSecurity:
    """The administrator's switch for the organisation's staff (audited by the accounts room)."""
    _require_admin(actor, organisation)
    return accounts.set_mfa_required(actor, organisation, required, request=request)


def new_temporary_password() -> str:
    """Four groups of four, e.g. ``k7mq-x3tp-9hrw-c2vd``: easy to read out, hard to guess."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(GROUP_LENGTH))
        for _group in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def temporary_password_refusal(actor: Actor, organisation: Organisation, user: User) -> str | None:
    """Why this account may not be given a temporary password here, or ``None`` when it may.

    ``PermissionDenied`` (a 404 on the pages) when the account is not staff here at all."""
    _require_admin(actor, organisation)
    if not StaffRole.objects.filter(user=user, unit__organisation=organisation).exists():
        raise PermissionDenied("not staff of this organisation")
    if actor.user is not None and actor.user.pk == user.pk:
        return _("This is your own account. Change your password under Sign-in and security.")
    if not user.is_active:
        return _("This account is closed.")
    current = StaffRole.objects.current().filter(user=user)
    if not current.filter(unit__organisation=organisation).exists():
        return _("%(name)s has no current role here.") % {"name": user.shown_name}
    if (
        user.is_superuser
        or current.exclude(unit__organisation=organisation).exists()
        or ServiceAdministrator.objects.current()
        .filter(user=user)
        .exclude(organisation=organisation)
        .exists()
        or Person.objects.filter(user=user).exists()
    ):
        return _(
            "%(name)s also uses this login elsewhere, so only they can reset it: by email "
            "from the login page."
        ) % {"name": user.shown_name}
    return None


def give_temporary_password(
    actor: Actor, organisation: Organisation, user: User, *, request: HttpRequest | None = None
) -> str:
    """Set a new random temporary password and return it, to be shown once to ``actor`` only."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        refusal = temporary_password_refusal(actor, organisation, locked)
        if refusal is not None:
            raise ValidationError(refusal)
        password = new_temporary_password()
        accounts.set_temporary_password(actor, locked, password, request=request)
    user.refresh_from_db(fields=["password", "must_change_password"])
    return password
