"""Writes of administration: administrators, units, staff invitations, roles and accounts.

Every function takes the acting ``Actor``, checks that the thing belongs to the organisation it
administers (``PermissionDenied`` otherwise, which pages turn into 404), validates, saves and
audits. Bad input raises a translated ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.administration import tokens
from alongside.administration.models import Invitation, InvitedRole, ServiceAdministrator
from alongside.administration.queries import administers
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.organisations import services as organisations
from alongside.organisations.models import Organisation, Role, StaffRole, Unit, UnitKind

INVITATION_DAYS = 7


def _require_admin(actor: Actor, organisation: Organisation) -> None:
    if actor.user is None:
        return  # the platform itself (the set-up command, the importer run by an operator)
    if not administers(actor.user.pk, organisation.pk):
        raise PermissionDenied("not an administrator of this organisation")


def _require_unit(actor: Actor, organisation: Organisation, unit: Unit) -> None:
    _require_admin(actor, organisation)
    if unit.organisation_id != organisation.pk:
        raise PermissionDenied("unit of another organisation")


# --- The organisation and its administrators ------------------------------------------------


def make_administrator(
    actor: Actor, user: User, organisation: Organisation, *, started_on: date | None = None
) -> ServiceAdministrator:
    _require_admin(actor, organisation)
    held = validated(
        ServiceAdministrator(
            user=user, organisation=organisation, started_on=started_on or timezone.localdate()
        )
    )
    held.save()
    record(actor, AuditAction.CREATE, obj=held, why=f"administrator of {organisation.code}")
    return held


@transaction.atomic
def create_organisation_with_administrator(
    *,
    code: str,
    name: str,
    kind: str,
    admin_username: str,
    admin_name: str,
    admin_email: str,
    admin_password: str | None,
) -> tuple[Organisation, User]:
    """The first organisation and its first administrator, from nothing (the set-up command).
    ``admin_password=None`` makes an account whose password is set through an invitation."""
    system = Actor.system()
    organisation = organisations.create_organisation(system, code=code, name=name, kind=kind)
    if admin_password is not None:
        password_validation.validate_password(admin_password)
    user = create_user(admin_username, admin_password, display_name=admin_name, email=admin_email)
    record(system, AuditAction.CREATE, obj=user, why="first administrator")
    make_administrator(system, user, organisation)
    return organisation, user


# --- Units ------------------------------------------------------------------------------------


def create_unit(
    actor: Actor, organisation: Organisation, *, code: str, name: str, kind: str
) -> Unit:
    _require_admin(actor, organisation)
    return organisations.create_unit(actor, organisation, code=code, name=name, kind=kind)


def edit_unit(
    actor: Actor, organisation: Organisation, unit: Unit, *, name: str, kind: str
) -> Unit:
    _require_unit(actor, organisation, unit)
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("Choose the kind of unit.")})
    return organisations.update_unit(actor, unit, name=name, kind=kind)


# --- Inviting staff ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSpec:
    unit: Unit
    role: str
    started_on: date
    ended_on: date | None = None


def _check_roles(organisation: Organisation, roles: Sequence[RoleSpec]) -> None:
    if not roles:
        raise ValidationError(_("Give at least one role in a unit."))
    seen: set[tuple[int, str]] = set()
    for spec in roles:
        if spec.unit.organisation_id != organisation.pk:
            raise PermissionDenied("unit of another organisation")
        if spec.role not in Role.values:
            raise ValidationError(_("Choose a role from the list."))
        if spec.ended_on is not None and spec.ended_on <= spec.started_on:
            raise ValidationError(_("A role must end after it starts."))
        if (spec.unit.pk, spec.role) in seen:
            raise ValidationError(_("The same role in the same unit is listed twice."))
        seen.add((spec.unit.pk, spec.role))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def invitation_link(token: str) -> str:
    from django.urls import reverse

    return reverse("administration_public:accept", kwargs={"token": token})


def invite_staff(
    actor: Actor,
    organisation: Organisation,
    *,
    name: str,
    email: str,
    roles: Sequence[RoleSpec],
    days: int = INVITATION_DAYS,
    base_url: str = "",
    user: User | None = None,
) -> tuple[Invitation, str]:
    """Invite a staff member: a single-use link that expires after ``days``. Returns the
    invitation and the link's secret token (shown once; only its hash is kept). An email with
    the link goes to ``email``."""
    _require_admin(actor, organisation)
    name = name.strip()
    email = normalise_email(email)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Write the staff member's name.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Write a valid email address.")
    if user is None and email and _account_with_email(email, staff_of=organisation) is not None:
        # Staff of this organisation already: add the role on their page. An account elsewhere
        # (staff of another organisation) is invited like anyone else, without saying it exists;
        # its owner logs in to accept (``accept_invitation_as``).
        errors["email"] = _(
            "An account with this email address exists already. Give it a role on the staff page."
        )
    if errors:
        raise ValidationError(errors)
    if user is None:
        _check_roles(organisation, roles)  # an imported account has its roles already
    token = tokens.new_link_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            name=name,
            email=email,
            token_hash=tokens.digest(token),
            expires_at=timezone.now() + timedelta(days=days),
            created_by=actor.user,
            user=user,
        )
        InvitedRole.objects.bulk_create(
            InvitedRole(
                invitation=invitation,
                unit=spec.unit,
                role=spec.role,
                started_on=spec.started_on,
                ended_on=spec.ended_on,
            )
            for spec in roles
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=invitation,
            why="roles: " + ",".join(f"{spec.role}@{spec.unit.code}" for spec in roles),
        )
    link = base_url + invitation_link(token)
    send_mail(
        _("You are invited to Alongside"),
        _(
            "%(name)s invited you to work in %(organisation)s with Alongside.\n\n"
            "Open this link to choose your password (it works once, until %(date)s):\n%(link)s\n"
        )
        % {
            "name": actor.name,
            "organisation": organisation.name,
            "date": invitation.expires_at.date().isoformat(),
            "link": link,
        },
        settings.DEFAULT_FROM_EMAIL,
        [email],
        fail_silently=True,
    )
    return invitation, token


def revoke_invitation(actor: Actor, organisation: Organisation, invitation: Invitation) -> None:
    _require_admin(actor, organisation)
    if invitation.organisation_id != organisation.pk:
        raise PermissionDenied("invitation of another organisation")
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(actor, AuditAction.END, obj=invitation)


def _link_refused(invitation: Invitation | None) -> ValidationError:
    if invitation is not None and invitation.accepted_at is not None:
        return ValidationError(
            _("This invitation has been used already. Log in, or ask for a new invitation.")
        )
    if invitation is not None and invitation.revoked_at is None:
        return ValidationError(
            _("This invitation has expired. Please ask your administrator for a new one.")
        )
    return ValidationError(_("This invitation link is not valid. Please ask for a new one."))


def invitation_for(token: str) -> Invitation:
    """The usable invitation behind a link, or a translated ``ValidationError`` saying why not."""
    invitation = (
        Invitation.objects.filter(token_hash=tokens.digest(token))
        .select_related("organisation")
        .first()
    )
    if invitation is None or not invitation.usable():
        raise _link_refused(invitation)
    return invitation


def _account_with_email(email: str, *, staff_of: Organisation | None = None) -> User | None:
    """The account that already uses ``email`` as its username or address (optionally: only if
    it holds a role in ``staff_of``)."""
    found = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    if staff_of is not None:
        found = found.filter(staff_roles__unit__organisation=staff_of)
    return found.order_by("pk").first()


def existing_account_for(invitation: Invitation) -> User | None:
    """The account of someone invited who has one already, staff of another organisation: they
    accept by logging in to it, never by choosing a new password. ``None`` for a new invitee
    (and for an imported account, which is opened by setting its first password)."""
    if invitation.user_id is not None:
        return None
    return _account_with_email(invitation.email)


def _start_invited_roles(invitation: Invitation, user: User) -> None:
    actor = Actor(user, "invitee")
    for spec in invitation.roles.select_related("unit"):
        organisations.assign_role(
            actor,
            user,
            spec.unit,
            Role(spec.role),
            started_on=spec.started_on,
            ended_on=spec.ended_on,
        )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    record(actor, AuditAction.UPDATE, obj=invitation, why="invitation accepted")


def accept_invitation_as(token: str, user: User) -> None:
    """Someone with an account already (staff of another organisation) accepts, logged in to it:
    the roles are added to that account and the link is spent. Only the account whose email the
    invitation names can accept it; a person's or supporter's own login never gets staff roles
    this way."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=tokens.digest(token)).first()
        )
        if invitation is None or not invitation.usable():
            raise _link_refused(invitation)
        existing = existing_account_for(invitation)
        if existing is None or existing.pk != user.pk:
            raise ValidationError(
                _(
                    "This invitation is for another account. Log out, then log in with the "
                    "account for %(email)s."
                )
                % {"email": invitation.email}
            )
        if not user.is_active or not StaffRole.objects.filter(user=user).exists():
            raise ValidationError(
                _("This account cannot take staff roles. Please ask your administrator.")
            )
        _start_invited_roles(invitation, user)


def accept_invitation(token: str, *, password: str, password_again: str) -> User:
    """The invitee sets a password: the account is made (or opened, for an imported one), the
    roles start, and the link is spent. All or nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=tokens.digest(token)).first()
        )
        if invitation is None or not invitation.usable():
            raise _link_refused(invitation)
        if existing_account_for(invitation) is not None:
            raise ValidationError(
                _("You have an Alongside account already: log in to it to accept.")
            )
        if password != password_again:
            raise ValidationError({"password_again": _("The two passwords are not the same.")})
        user = invitation.user
        if user is None:
            user = User(username=invitation.email, email=invitation.email)
            user.display_name = invitation.name
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
        user.is_active = True
        if user.pk is None:
            user.full_clean(exclude=["password"])
        user.save()
        _start_invited_roles(invitation, user)
    return user


# --- Roles and accounts -----------------------------------------------------------------------


def add_role(actor: Actor, organisation: Organisation, user: User, spec: RoleSpec) -> StaffRole:
    _require_admin(actor, organisation)
    _check_roles(organisation, [spec])
    if not StaffRole.objects.filter(user=user, unit__organisation=organisation).exists():
        raise PermissionDenied("not staff of this organisation")
    return organisations.assign_role(
        actor,
        user,
        spec.unit,
        Role(spec.role),
        started_on=spec.started_on,
        ended_on=spec.ended_on,
    )


def _own_role(organisation: Organisation, staff_role: StaffRole) -> None:
    if staff_role.unit.organisation_id != organisation.pk:
        raise PermissionDenied("role in another organisation")


def end_role(actor: Actor, organisation: Organisation, staff_role: StaffRole) -> StaffRole:
    """End a role today: what it gave access to ends on the next request."""
    _require_admin(actor, organisation)
    _own_role(organisation, staff_role)
    today = timezone.localdate()
    if staff_role.ended_on is not None and staff_role.ended_on <= today:
        raise ValidationError(_("This role has ended already."))
    # A role that has not started yet ends on the day it would have started.
    return organisations.end_role(actor, staff_role, ended_on=max(today, staff_role.started_on))


def change_role(
    actor: Actor, organisation: Organisation, staff_role: StaffRole, *, role: str, unit: Unit
) -> StaffRole:
    """Another role or unit from today: the old role ends and the new one starts in one
    transaction, so the change shows on the next request and the history stays."""
    _require_admin(actor, organisation)
    _own_role(organisation, staff_role)
    today = timezone.localdate()
    spec = RoleSpec(unit=unit, role=role, started_on=today, ended_on=staff_role.ended_on)
    if spec.ended_on is not None and spec.ended_on <= today:
        raise ValidationError(_("This role has ended already."))
    _check_roles(organisation, [spec])
    if staff_role.unit_id == unit.pk and staff_role.role == role:
        raise ValidationError(_("Choose a different role or unit."))
    with transaction.atomic():
        organisations.end_role(actor, staff_role, ended_on=today)
        return organisations.assign_role(
            actor,
            staff_role.user,
            unit,
            Role(role),
            started_on=today,
            ended_on=spec.ended_on,
        )


def end_sessions(user: User) -> int:
    """Delete every session of this user. Sessions are in the database; each is decoded once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def deactivate_account(actor: Actor, organisation: Organisation, user: User) -> None:
    """Close a staff member's account: every role here ends today, they cannot log in, and
    their sessions end at once. Refused for someone who also works elsewhere (end their roles
    here instead), and for one's own account."""
    _require_admin(actor, organisation)
    if not StaffRole.objects.filter(user=user, unit__organisation=organisation).exists():
        raise PermissionDenied("not staff of this organisation")
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError(_("You cannot close your own account."))
    if (
        StaffRole.objects.current()
        .filter(user=user)
        .exclude(unit__organisation=organisation)
        .exists()
        or ServiceAdministrator.objects.current()
        .filter(user=user)
        .exclude(organisation=organisation)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s also works in another organisation. End their roles here instead.")
            % {"name": user.shown_name}
        )
    today = timezone.localdate()
    with transaction.atomic():
        for staff_role in StaffRole.objects.current().filter(
            user=user, unit__organisation=organisation
        ):
            organisations.end_role(actor, staff_role, ended_on=today)
        user.is_active = False
        user.save(update_fields=["is_active"])
        # A waiting invitation must not open the closed account again.
        Invitation.objects.filter(
            user=user, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        ended = end_sessions(user)
        record(actor, AuditAction.END, obj=user, why=f"account closed; {ended} sessions ended")
