"""The person's own login without email: a one-time activation code (shown or printed, with a
QR code) or an emailed link, with which the person sets their password on their own phone.

Single use, expires, stored hashed, audited. Issuing a new one kills the older ones, and the
person is told (in the app) that a new code was made.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alongside.access import Basis, resolve_access
from alongside.accounts import throttle
from alongside.accounts.models import User
from alongside.accounts.services import create_user
from alongside.administration import tokens
from alongside.administration.messages import ACCESS_REISSUED, ACCOUNT_ACTIVATED
from alongside.administration.models import ActivationCode, ActivationKind
from alongside.administration.persons import _require_person
from alongside.administration.services import end_sessions
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.notifications.services import notify
from alongside.organisations.models import Organisation
from alongside.people.models import Person

ACTIVATION_DAYS = 7
PERSON_ROLE = "person"


def _username_for(person: Person) -> str:
    base = slugify(person.preferred_name or person.name.split(" ")[0])[:20] or "person"
    for _attempt in range(20):
        candidate = f"{base}.{secrets.randbelow(10_000):04d}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    return f"{base}.{secrets.token_hex(4)}"


def activation_path(code: str) -> str:
    return reverse("administration_public:activate_code", kwargs={"code": code})


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG (made here, no network)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    text = image.to_string(encoding="unicode")
    assert isinstance(text, str)
    return text


def issue_by_care_staff(
    actor: Actor, person: Person, *, email: str = "", base_url: str = ""
) -> tuple[ActivationCode, str]:
    """The same, by a member of the care staff of the unit where the person stays now."""
    grant = resolve_access(actor.user, person.pk) if actor.user is not None else None
    if grant is None or grant.basis is not Basis.UNIT:
        raise PermissionDenied("only care staff of the person's unit")
    return _issue(actor, person, email=email, base_url=base_url)


def issue(
    actor: Actor,
    organisation: Organisation,
    person: Person,
    *,
    email: str = "",
    base_url: str = "",
) -> tuple[ActivationCode, str]:
    """Make a new activation code for the person (their login is made when missing). With
    ``email``, the link goes there instead of being shown. Older unused codes stop working."""
    _require_person(actor, organisation, person)
    return _issue(actor, person, email=email, base_url=base_url)


def _issue(
    actor: Actor, person: Person, *, email: str, base_url: str
) -> tuple[ActivationCode, str]:
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError({"email": _("Write a valid email address.")}) from error
    code = tokens.new_code()
    now = timezone.now()
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        reissued = locked.user_id is not None
        if locked.user_id is None:
            user = create_user(
                _username_for(locked), None, display_name=locked.shown_name, email=email
            )
            locked.user = user
            locked.save(update_fields=["user"])
            record(actor, AuditAction.CREATE, obj=user, person_id=locked.pk, why="person's login")
            person.user = user
        elif email:
            assert locked.user is not None
            locked.user.email = email
            locked.user.save(update_fields=["email"])
        revoked = ActivationCode.objects.filter(
            person=locked, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        activation = ActivationCode.objects.create(
            person=locked,
            code_hash=tokens.code_digest(code),
            kind=ActivationKind.EMAIL if email else ActivationKind.CODE,
            expires_at=now + timedelta(days=ACTIVATION_DAYS),
            created_by=actor.user,
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=activation,
            person_id=locked.pk,
            why=f"activation {activation.kind}; {revoked} older codes revoked",
        )
        if reissued and locked.user is not None:
            notify([locked.user], ACCESS_REISSUED, {"name": actor.name})
    if email:
        send_mail(
            _("Your Alongside login"),
            _(
                "Open this link on your phone to choose your password (it works once, until "
                "%(date)s):\n%(link)s\n"
            )
            % {
                "date": activation.expires_at.date().isoformat(),
                "link": base_url + activation_path(code),
            },
            settings.DEFAULT_FROM_EMAIL,
            [email],
            fail_silently=True,
        )
    return activation, code


def _refused(activation: ActivationCode | None) -> ValidationError:
    if activation is not None and activation.used_at is not None:
        return ValidationError(
            {"code": _("This code has been used already. Log in, or ask the staff for a new one.")}
        )
    if activation is not None and activation.revoked_at is None:
        return ValidationError(
            {"code": _("This code has expired. Please ask the staff for a new one.")}
        )
    return ValidationError(
        {"code": _("This code does not work. Check it, or ask the staff for a new one.")}
    )


def check_code(code: str) -> ActivationCode:
    """The usable activation behind a code, or a translated ``ValidationError``."""
    activation = (
        ActivationCode.objects.filter(code_hash=tokens.code_digest(code))
        .select_related("person__user")
        .first()
    )
    if activation is None or not _usable(activation):
        raise _refused(activation)
    return activation


class TooManyTries(ValidationError):
    """Too many wrong codes from this address, or tries of this code: paused for a while."""


def check_code_throttled(code: str, address: str | None) -> ActivationCode:
    """``check_code``, counting wrong codes per address and per code (``accounts.throttle``).

    While paused, even a right code from that address is refused (``TooManyTries``): otherwise
    the pause would tell a guesser which code is right. Another address is not affected."""
    key = tokens.code_digest(code)
    if throttle.activation_locked(key, address):
        minutes = max(1, settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60)
        raise TooManyTries(
            {
                "code": _(
                    "Too many codes that did not work. For your safety, please wait "
                    "%(minutes)s minutes and try again, or ask the staff for help."
                )
                % {"minutes": minutes}
            }
        )
    try:
        return check_code(code)
    except ValidationError:
        throttle.record_activation_attempt(key, address, succeeded=False)
        raise


def _usable(activation: ActivationCode) -> bool:
    return (
        activation.used_at is None
        and activation.revoked_at is None
        and activation.expires_at > timezone.now()
    )


def activate(code: str, *, password: str, password_again: str) -> User:
    """Spend the code: the person's password is set and their login opened. Other sessions of
    that login end (a re-issued code replaces whatever was there)."""
    with transaction.atomic():
        activation = (
            ActivationCode.objects.select_for_update()
            .filter(code_hash=tokens.code_digest(code))
            .first()
        )
        if activation is None or not _usable(activation):
            raise _refused(activation)
        person = Person.objects.select_related("user").get(pk=activation.person_id)
        user = person.user
        if user is None:
            raise _refused(None)
        if password != password_again:
            raise ValidationError({"password_again": _("The two passwords are not the same.")})
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        activation.used_at = timezone.now()
        activation.save(update_fields=["used_at"])
        end_sessions(user)
        record(
            Actor(user, PERSON_ROLE),
            AuditAction.UPDATE,
            obj=activation,
            person_id=person.pk,
            why="activation code used; password set",
        )
        notify([user], ACCOUNT_ACTIVATED)
    return user
