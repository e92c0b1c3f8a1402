"""Running a service: who administers an organisation, invitations for staff, activation codes
for persons' own logins, and which organisation registered which person.

A service administrator is **not** a care role: it grants no access to person data. It is kept
apart from ``StaffRole`` on purpose, so nothing in the access layer can ever count it.

Tokens (invitation links, activation codes) are stored only as SHA-256 hashes: they are long
random strings, so a plain hash is enough and a stolen database gives no working link.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import Organisation, Role, Unit
from alongside.people.models import Person


class ServiceAdministratorQuerySet(models.QuerySet["ServiceAdministrator"]):
    def current(self, today: date | None = None) -> ServiceAdministratorQuerySet:
        day = today or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class ServiceAdministrator(models.Model):
    """A user who runs an organisation's set-up: units, staff, registrations, stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="administers",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="administrators",
        verbose_name=_("organisation"),
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = ServiceAdministratorQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="one_current_administrator_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.organisation}"


class Invitation(models.Model):
    """A single-use link for a new staff member to set a password and take up their roles."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    # Set when the invitation is for an account that already exists (an imported staff member).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"

    def usable(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > moment


class InvitedRole(models.Model):
    """One role the invitee takes up in one unit when they accept."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    started_on = models.DateField(_("starts on"))
    ended_on = models.DateField(_("ends on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.role} in {self.unit}"


class ActivationKind(models.TextChoices):
    CODE = "code", _("Code shown or printed")
    EMAIL = "email", _("Link sent by email")


class ActivationCode(models.Model):
    """A one-time code with which a person sets the password of their own login."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=ActivationKind.choices)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"activation for person {self.person_id}"


class Registration(models.Model):
    """The organisation that registered a person (their administrators see the registration
    details: names, identifiers, stays; never the plan or notes)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="one_registration_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} at {self.organisation}"
